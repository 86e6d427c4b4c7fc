namespace CitySense.UnitTests;

/// <summary>The repository's root folder (where CitySense.slnx is), for tests that read its files.</summary>
public static class Repository
{
    public static string Root { get; } = FindRoot();

    private static string FindRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "CitySense.slnx")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException("Repository root (CitySense.slnx) not found above " + AppContext.BaseDirectory);
    }
}
