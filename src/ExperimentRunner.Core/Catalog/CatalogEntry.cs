namespace ExperimentRunner.Core.Catalog;

/// <summary>A named thing an experiment file can ask for: a loss, an activation, an optimizer, ...</summary>
public record CatalogEntry(string Name, string Description, IReadOnlyList<ParamSpec> Params)
{
    public IReadOnlyList<string> Aliases { get; init; } = [];
}

/// <summary>
/// One registry shape for every kind: case-insensitive names and aliases, listing with descriptions,
/// and a lookup that fails with the valid names and a "did you mean".
/// </summary>
public interface IRegistry
{
    CatalogKind Kind { get; }
    IReadOnlyList<CatalogEntry> All { get; }
    bool TryGetEntry(string name, out CatalogEntry entry);
    string UnknownMessage(string name);
}

public sealed class Registry<TEntry> : IRegistry where TEntry : CatalogEntry
{
    private readonly Dictionary<string, TEntry> _byName = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<TEntry> _entries = [];

    public Registry(CatalogKind kind, IEnumerable<TEntry> entries)
    {
        Kind = kind;
        foreach (var entry in entries) Add(entry);
    }

    public CatalogKind Kind { get; }
    public IReadOnlyList<TEntry> Entries => _entries;
    public IEnumerable<string> Names => _entries.Select(e => e.Name);
    public IEnumerable<string> NamesAndAliases => _entries.SelectMany(e => e.Aliases.Prepend(e.Name));

    private void Add(TEntry entry)
    {
        foreach (var key in entry.Aliases.Prepend(entry.Name))
        {
            if (!_byName.TryAdd(key, entry))
                throw new InvalidOperationException($"{Kind.Singular()} name '{key}' is registered twice");
        }
        _entries.Add(entry);
    }

    public bool TryGet(string name, out TEntry entry) => _byName.TryGetValue(name, out entry!);

    IReadOnlyList<CatalogEntry> IRegistry.All => _entries;

    bool IRegistry.TryGetEntry(string name, out CatalogEntry entry)
    {
        var found = TryGet(name, out var typed);
        entry = typed;
        return found;
    }

    public TEntry Get(string name) =>
        TryGet(name, out var entry) ? entry : throw new KeyNotFoundException(UnknownMessage(name));

    public string UnknownMessage(string name) =>
        $"unknown {Kind.Singular()} '{name}'{Problems.Suggest.DidYouMean(name, NamesAndAliases)}; allowed: {string.Join(", ", Names)}";
}
