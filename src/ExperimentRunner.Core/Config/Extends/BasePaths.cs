using ExperimentRunner.Core.Catalog;
using ExperimentRunner.Core.Config.Raw;

namespace ExperimentRunner.Core.Config.Extends;

/// <summary>
/// A relative data path written in a base file means "next to the base" (a shared base in <c>bases/</c> names
/// <c>../data/sonar.csv</c> once for every child, wherever the children are). Everything after the merge resolves
/// paths against the experiment file's folder, so a base's own paths are rewritten here to say the same file
/// from there. The rewritten text is what config.yaml shows and what the trial id hashes, exactly as if the
/// experiment file had written it.
/// </summary>
public sealed class BasePaths(Catalogs catalogs)
{
    // Keys of a dataset that name files (csv path, idx images, ...).
    private readonly HashSet<string> _keys = catalogs.Datasets.Entries.SelectMany(d => d.PathKeys).ToHashSet(StringComparer.Ordinal);

    /// <summary>
    /// <paramref name="tree"/>'s data paths, written relative to <paramref name="from"/>, made relative to
    /// <paramref name="to"/>: in the dataset section and in sweep values and exclusions of dataset paths.
    /// </summary>
    public RawMapping Rebase(RawMapping tree, string from, string to)
    {
        if (PathComparer.Equals(Path.GetFullPath(from), Path.GetFullPath(to))) return tree;
        RawNode Move(RawNode n) => Rewrite(n, from, to);
        if (tree.Find("dataset") is { Value: RawMapping dataset } d) tree = tree.With("dataset", Dataset(dataset, Move), d.KeyMark);
        if (tree.Find("sweep") is { Value: RawMapping sweep } s) tree = tree.With("sweep", Sweep(sweep, Move), s.KeyMark);
        return tree;
    }

    public static StringComparer PathComparer { get; } = OperatingSystem.IsLinux() ? StringComparer.Ordinal : StringComparer.OrdinalIgnoreCase;

    private RawNode Dataset(RawNode node, Func<RawNode, RawNode> move) =>
        node is RawMapping m ? m with { Entries = m.Entries.Select(e => _keys.Contains(e.Key) ? e with { Value = move(e.Value) } : e).ToList() } : node;

    private RawMapping Sweep(RawMapping sweep, Func<RawNode, RawNode> move)
    {
        if (sweep.Find("parameters") is { Value: RawMapping parameters } p)
        {
            var axes = parameters.Entries.Select(e => PathsIn(e.Key) is { } each ? e with { Value = Values(e.Value, each, move) } : e).ToList();
            sweep = sweep.With("parameters", parameters with { Entries = axes }, p.KeyMark);
        }
        if (sweep.Find("exclude") is { Value: RawSequence exclude } x)
        {
            var rules = exclude.Items.Select(rule => rule is RawMapping r
                ? r with { Entries = r.Entries.Select(e => PathsIn(e.Key) is { } each ? e with { Value = each(e.Value, move) } : e).ToList() }
                : rule).ToList();
            sweep = sweep.With("exclude", exclude with { Items = rules }, x.KeyMark);
        }
        return sweep;
    }

    /// <summary>How a value swept at <paramref name="key"/> holds paths: a whole dataset, one dataset path, or none.</summary>
    private Func<RawNode, Func<RawNode, RawNode>, RawNode>? PathsIn(string key)
    {
        if (key == "dataset") return Dataset;
        return key.StartsWith("dataset.", StringComparison.Ordinal) && _keys.Contains(key["dataset.".Length..]) ? (n, move) => move(n) : null;
    }

    // A sweep axis is a list of values or {values: [...]}; distributions hold no paths.
    private static RawNode Values(RawNode axis, Func<RawNode, Func<RawNode, RawNode>, RawNode> each, Func<RawNode, RawNode> move) => axis switch
    {
        RawSequence list => list with { Items = list.Items.Select(i => each(i, move)).ToList() },
        RawMapping { Entries.Count: 1 } m when m.Find("values") is { Value: RawSequence } v => m.With("values", Values(v.Value, each, move), v.KeyMark),
        _ => axis,
    };

    private static RawNode Rewrite(RawNode node, string from, string to)
    {
        if (node is not RawScalar { IsNull: false } s || s.Value.Trim().Length == 0 || Path.IsPathRooted(s.Value)) return node;
        var full = Path.GetFullPath(Path.Combine(from, s.Value));
        // '/' works on every platform and keeps config.yaml the same wherever it was written.
        return s with { Value = Path.GetRelativePath(to, full).Replace('\\', '/') };
    }
}
