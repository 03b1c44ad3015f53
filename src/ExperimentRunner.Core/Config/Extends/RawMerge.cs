using ExperimentRunner.Core.Catalog;
using ExperimentRunner.Core.Config.Raw;

namespace ExperimentRunner.Core.Config.Extends;

/// <summary>
/// Lays one raw tree over another (a file over its base): mappings merge key by key at every depth, lists and
/// scalars replace. Two rules keep catalog choices sensible, because a choice's parameters belong to its entry:
/// a mapping that names a different entry than the base (<c>loss: {name: mse}</c> over <c>{name: huber, delta: 1}</c>)
/// replaces it instead of inheriting <c>delta</c>; and a mapping without a name over a name written as a word
/// (<c>loss: {delta: 2}</c> over <c>loss: huber</c>) keeps that name, as <c>--set loss.delta=2</c> does.
/// </summary>
public sealed class RawMerge
{
    private readonly Catalogs _catalogs;
    // Keys that hold a catalog choice somewhere in an experiment file (loss, activation, model, ...), with their kinds.
    private readonly Dictionary<string, List<CatalogKind>> _choices = [];

    public RawMerge(Catalogs catalogs)
    {
        _catalogs = catalogs;
        Collect(ExperimentSchema.Fields);
        foreach (var kind in Enum.GetValues<CatalogKind>())
        {
            foreach (var entry in catalogs.EntriesOf(kind)) Collect(entry.Params);
        }
    }

    /// <summary><paramref name="upper"/> over <paramref name="lower"/>; marks stay with the file each value was written in.</summary>
    public RawMapping Over(RawMapping lower, RawMapping upper)
    {
        var entries = lower.Entries.ToList();
        foreach (var entry in upper.Entries)
        {
            var at = entries.FindIndex(e => e.Key == entry.Key);
            if (at < 0) entries.Add(entry);
            else entries[at] = entry with { Value = Value(entry.Key, entries[at].Value, entry.Value) };
        }
        return new RawMapping(entries, upper.Mark);
    }

    private RawNode Value(string key, RawNode lower, RawNode upper)
    {
        if (upper is not RawMapping map) return upper;
        if (!_choices.TryGetValue(key, out var kinds)) return lower is RawMapping section ? Over(section, map) : upper;
        var nameKey = kinds[0].NameKey();
        var below = lower switch
        {
            RawMapping m => m,
            RawScalar { IsNull: false } word => new RawMapping([new RawEntry(nameKey, word.Mark, word)], word.Mark),
            _ => null,
        };
        if (below is null) return upper;
        if (NameIn(map, nameKey) is { } mine && NameIn(below, nameKey) is { } theirs && !SameEntry(kinds, mine, theirs)) return upper;
        return Over(below, map);
    }

    private static string? NameIn(RawMapping map, string nameKey) => map[nameKey] is RawScalar { IsNull: false } s ? s.Value : null;

    /// <summary>Aliases and case do not make a different entry (<c>ce</c> is <c>cross_entropy</c>).</summary>
    private bool SameEntry(List<CatalogKind> kinds, string a, string b) =>
        string.Equals(a, b, StringComparison.OrdinalIgnoreCase)
        || kinds.Any(k => _catalogs.TryGet(k, a, out var x) && _catalogs.TryGet(k, b, out var y) && x.Name == y.Name);

    private void Collect(IEnumerable<ParamSpec> specs)
    {
        foreach (var spec in specs)
        {
            if (spec.Type == ParamType.Component && spec.Kind is { } kind)
            {
                if (!_choices.TryGetValue(spec.Name, out var kinds)) _choices[spec.Name] = kinds = [];
                if (!kinds.Contains(kind)) kinds.Add(kind);
            }
            if (spec.Fields is { } fields) Collect(fields);
        }
    }
}
