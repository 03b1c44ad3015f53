namespace ExperimentRunner.Core.Catalog;

/// <summary>
/// What builds each entry of one catalog kind (a loss function, an activation module, a schedule), attached to the
/// catalog's names rather than being a second registry of its own: construction fails unless every entry that
/// needs a builder has exactly one and every builder belongs to an entry, so a name added to a catalog without its
/// implementation fails at start-up (and in the catalog-wide tests), never in the middle of a sweep.
/// </summary>
public sealed class FactoryTable<TBuild>
{
    private readonly IRegistry _registry;
    private readonly Dictionary<string, TBuild> _builders;

    /// <param name="needsBuilder">Entries resolved before anything is built (output activation <c>auto</c>) need none.</param>
    public FactoryTable(IRegistry registry, IReadOnlyDictionary<string, TBuild> builders, Func<CatalogEntry, bool>? needsBuilder = null)
    {
        _registry = registry;
        _builders = new Dictionary<string, TBuild>(builders, StringComparer.Ordinal);
        var names = registry.All.Where(e => needsBuilder?.Invoke(e) ?? true).Select(e => e.Name).ToHashSet(StringComparer.Ordinal);
        var missing = names.Where(n => !_builders.ContainsKey(n)).Order(StringComparer.Ordinal).ToList();
        var stray = _builders.Keys.Where(n => !names.Contains(n)).Order(StringComparer.Ordinal).ToList();
        if (missing.Count > 0 || stray.Count > 0)
            throw new InvalidOperationException($"{registry.Kind.Singular()} builders do not match the catalog:"
                + (missing.Count > 0 ? $" no builder for {string.Join(", ", missing)};" : "")
                + (stray.Count > 0 ? $" builders for names the catalog lacks: {string.Join(", ", stray)}" : ""));
    }

    public IReadOnlyCollection<string> Names => _builders.Keys;

    /// <summary>The builder of a catalog name (aliases resolve to their entry).</summary>
    /// <exception cref="KeyNotFoundException">The name is not in the catalog: the message lists the valid ones.</exception>
    public TBuild For(string name)
    {
        if (!_registry.TryGetEntry(name, out var entry)) throw new KeyNotFoundException(_registry.UnknownMessage(name));
        return _builders.TryGetValue(entry.Name, out var build)
            ? build
            : throw new KeyNotFoundException($"'{entry.Name}' is resolved before building and has no {_registry.Kind.Singular()} builder of its own");
    }
}
