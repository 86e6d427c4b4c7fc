using System.Reflection;
using System.Text.RegularExpressions;
using NetArchTest.Rules;

namespace CitySense.UnitTests.Architecture;

/// <summary>
/// Which namespace of an assembly uses which, from the compiled types (NetArchTest reads their IL and signatures), for
/// the assembly's own namespaces only (not the code Orleans generates).
/// </summary>
public sealed class NamespaceGraph
{
    private readonly Dictionary<string, SortedSet<string>> _edges;

    private NamespaceGraph(Dictionary<string, SortedSet<string>> edges) => _edges = edges;

    public static NamespaceGraph Of(Assembly assembly)
    {
        var root = assembly.GetName().Name!;
        var types = Types.InAssembly(assembly).GetTypes()
            .Where(t => t.Namespace is { } ns && (ns == root || ns.StartsWith(root + ".", StringComparison.Ordinal)))
            .ToArray();
        var byNamespace = types.GroupBy(t => t.Namespace!).ToDictionary(g => g.Key, g => g.Select(t => t.FullName!).ToArray());
        var edges = new Dictionary<string, SortedSet<string>>(StringComparer.Ordinal);
        foreach (var from in byNamespace.Keys)
        {
            var set = edges[from] = new SortedSet<string>(StringComparer.Ordinal);
            foreach (var (to, names) in byNamespace)
            {
                if (to == from)
                {
                    continue;
                }

                var users = Types.InAssembly(assembly)
                    .That().ResideInNamespaceMatching("^" + Regex.Escape(from) + "$")
                    .And().HaveDependencyOnAny(names)
                    .GetTypes();
                // A type's own namespace prefix can match another namespace's type names (Foo.Bar vs Foo.BarBaz): keep
                // only users that truly sit in `from`.
                if (users.Any(t => t.Namespace == from))
                {
                    set.Add(to);
                }
            }
        }

        return new NamespaceGraph(edges);
    }

    public IReadOnlyCollection<string> DependenciesOf(string ns) => _edges.TryGetValue(ns, out var set) ? set : [];

    /// <summary>One loop of namespaces that use each other (first and last the same), or null when there is none.</summary>
    public IReadOnlyList<string>? FindLoop()
    {
        var state = new Dictionary<string, int>(StringComparer.Ordinal); // 1 on the path, 2 done
        var path = new List<string>();
        foreach (var start in _edges.Keys.Order(StringComparer.Ordinal))
        {
            if (Visit(start, state, path) is { } loop)
            {
                return loop;
            }
        }

        return null;
    }

    private List<string>? Visit(string node, Dictionary<string, int> state, List<string> path)
    {
        if (state.TryGetValue(node, out var s))
        {
            return s == 1 ? [.. path.Skip(path.IndexOf(node)), node] : null;
        }

        state[node] = 1;
        path.Add(node);
        foreach (var next in DependenciesOf(node))
        {
            if (Visit(next, state, path) is { } loop)
            {
                return loop;
            }
        }

        path.RemoveAt(path.Count - 1);
        state[node] = 2;
        return null;
    }
}
