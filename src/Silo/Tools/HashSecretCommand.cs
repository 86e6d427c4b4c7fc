using System.Globalization;
using System.Security.Cryptography;
using CitySense.Ingest.Security;

namespace CitySense.Silo.Tools;

/// <summary>
/// <c>dotnet run --project src/Silo -- hash-secret --user w-1 --scope city/d1/c1/water/w-1 &gt;&gt; credentials.jsonl</c>:
/// writes one credentials-file line to standard output. The secret is generated (256 random bits, printed once to
/// standard error for the device) unless <c>--secret-stdin</c> reads one from standard input, so that it never appears
/// in the shell history or the process list.
/// </summary>
public static class HashSecretCommand
{
    public const string Name = "hash-secret";

    private const string Usage = """
        usage: hash-secret --user <id> --scope <topic> [--role device|service] [--secret-stdin] [--iterations <n>]
          --user        the device or gateway id (also the MQTT user name and client id)
          --scope       device/gateway: its own topic city/{district}/{community}/{kind}/{id}
                        service: a topic filter such as city/#
          --secret-stdin  read the secret from the first line of standard input instead of generating one
          --iterations  PBKDF2 iterations (default 10000; raise for human-chosen secrets)
        """;

    public static int Run(IReadOnlyList<string> args, TextReader input, TextWriter output, TextWriter error)
    {
        string? user = null, scope = null;
        var role = CredentialRole.Device;
        var fromInput = false;
        var iterations = SecretHash.DefaultIterations;
        for (var i = 0; i < args.Count; i++)
        {
            string? Next() => i + 1 < args.Count ? args[++i] : null;
            switch (args[i])
            {
                case "--user": user = Next(); break;
                case "--scope": scope = Next(); break;
                case "--secret-stdin": fromInput = true; break;
                case "--role":
                    var r = Next();
                    if (r is not ("device" or "gateway" or "service"))
                    {
                        return Fail(error, $"--role is '{r}': use device (devices and gateways) or service");
                    }

                    role = r == "service" ? CredentialRole.Service : CredentialRole.Device;
                    break;
                case "--iterations":
                    if (!int.TryParse(Next(), NumberStyles.None, CultureInfo.InvariantCulture, out iterations)
                        || iterations is < SecretHash.MinIterations or > SecretHash.MaxIterations)
                    {
                        return Fail(error, $"--iterations must be a whole number from {SecretHash.MinIterations} to {SecretHash.MaxIterations}");
                    }

                    break;
                default:
                    return Fail(error, $"unknown argument '{args[i]}'");
            }
        }

        if (user is null || scope is null)
        {
            return Fail(error, "--user and --scope are required");
        }

        if (CredentialFile.Validate(user, role, scope) is { } problem)
        {
            return Fail(error, problem);
        }

        var secret = fromInput ? input.ReadLine() : Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        if (string.IsNullOrEmpty(secret))
        {
            return Fail(error, "the secret read from standard input is empty");
        }

        output.WriteLine(CredentialFile.Format(new DeviceCredential(user, role, scope, SecretHash.Create(secret, iterations))));
        if (!fromInput)
        {
            error.WriteLine($"secret for {user} (give it to the device; it is not stored anywhere): {secret}");
        }

        return 0;
    }

    private static int Fail(TextWriter error, string message)
    {
        error.WriteLine($"hash-secret: {message}");
        error.WriteLine(Usage);
        return 2;
    }
}
