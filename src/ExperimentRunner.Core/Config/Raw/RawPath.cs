using ExperimentRunner.Core.Problems;

namespace ExperimentRunner.Core.Config.Raw;

/// <summary>Reads and replaces values in a raw tree by dotted path (<c>model.activation</c>), as <c>--set</c> and sweeps do.</summary>
public static class RawPath
{
    public static string[] Split(string path) => path.Split('.');

    public static RawNode? Get(RawNode root, string path)
    {
        RawNode? node = root;
        foreach (var key in Split(path))
        {
            node = node switch
            {
                RawMapping m => m[key],
                // `loss: mse` has no parameters written yet; asking for one finds nothing.
                _ => null,
            };
            if (node is null) return null;
        }
        return node;
    }

    /// <summary>
    /// Returns a new tree with <paramref name="value"/> at <paramref name="path"/>, creating mappings on the way.
    /// A catalog name written as a word (<c>loss: mse</c>) becomes a mapping (<c>{name: mse, ...}</c>) when a
    /// parameter below it is set.
    /// </summary>
    public static RawMapping Set(RawMapping root, string path, RawNode value)
    {
        var keys = Split(path);
        return SetIn(root, keys, 0, value);
    }

    private static RawMapping SetIn(RawMapping map, string[] keys, int at, RawNode value)
    {
        var key = keys[at];
        if (at == keys.Length - 1) return map.With(key, value, value.Mark);
        var child = map[key] switch
        {
            RawMapping m => m,
            RawScalar { IsNull: false } s => new RawMapping([new RawEntry(NameKeyFor(key), s.Mark, s)], s.Mark),
            _ => new RawMapping([], value.Mark),
        };
        return map.With(key, SetIn(child, keys, at + 1, value), value.Mark);
    }

    // The key that names a catalog choice under a given parent key (see CatalogKindText.NameKey).
    private static string NameKeyFor(string key) => key == "model" ? "architecture" : "name";

    /// <summary>Parses <c>key.path=value</c> from the command line.</summary>
    public static (string Path, RawNode Value)? ParseAssignment(string assignment, ProblemBag problems)
    {
        var eq = assignment.IndexOf('=');
        // The assignment is where the value came from; a very long one is cut so the message stays readable.
        var mark = new SourceMark($"--set {(assignment.Length <= 100 ? assignment : assignment[..80] + "...")}");
        if (eq <= 0)
        {
            problems.Error(mark, "", "expected key.path=value, e.g. --set optimizer.lr=0.01");
            return null;
        }
        var path = assignment[..eq].Trim();
        if (Split(path).Any(string.IsNullOrWhiteSpace))
        {
            problems.Error(mark, path, "the key path has an empty part; write keys separated by single dots");
            return null;
        }
        return RawTreeReader.ReadValue(assignment[(eq + 1)..], path, mark, problems) is { } value ? (path, value) : null;
    }
}
