using ExperimentRunner.Core.Catalog;
using ExperimentRunner.Core.Config;

namespace ExperimentRunner.Cli.Completion;

/// <summary>
/// Completes <c>--set key=value</c>: before the '=', every key path of an experiment file (read from
/// <see cref="ExperimentSchema"/> and the parameters of every catalog entry, so a new loss parameter is offered
/// without touching this file); after it, the names a key takes (losses after <c>loss=</c>, activations after
/// <c>model.activation=</c>, ...), a choice's words, or true/false. Each candidate is the whole word, key included,
/// because that is the token the shell replaces.
/// </summary>
public sealed class SetKeyCompletion
{
    private readonly Catalogs _catalogs;
    private readonly Dictionary<string, ParamSpec> _keys = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<string> _order = [];

    public SetKeyCompletion(Catalogs catalogs)
    {
        _catalogs = catalogs;
        AddAll("", ExperimentSchema.Fields, depth: 0);
    }

    /// <summary>Every key path, in schema order (top-level keys first within each section).</summary>
    public IReadOnlyList<string> Keys => _order;

    public IEnumerable<string> Complete(string word)
    {
        var equals = word.IndexOf('=');
        if (equals < 0)
            return _order.Where(k => k.StartsWith(word, StringComparison.OrdinalIgnoreCase)).Select(k => k + "=");
        var key = word[..equals];
        if (!_keys.TryGetValue(key, out var spec)) return [];
        var typed = word[(equals + 1)..];
        return Values(spec).Where(v => v.StartsWith(typed, StringComparison.OrdinalIgnoreCase)).Select(v => $"{key}={v}");
    }

    private IEnumerable<string> Values(ParamSpec spec) => spec.Type switch
    {
        ParamType.Component => Names(spec.Kind!.Value),
        // A list key needs a YAML list; one element is the common case and the user can go on typing.
        ParamType.ComponentList when spec.Choices is { } choices => choices.Select(c => $"[{c}]"),
        ParamType.ComponentList => Names(spec.Kind!.Value).Select(n => $"[{n}]"),
        ParamType.Choice => spec.Choices ?? [],
        ParamType.Bool => ["true", "false"],
        _ => [],
    };

    private IEnumerable<string> Names(CatalogKind kind) => _catalogs.EntriesOf(kind).Select(e => e.Name);

    private void AddAll(string prefix, IEnumerable<ParamSpec> specs, int depth)
    {
        foreach (var spec in specs)
        {
            var path = prefix + spec.Name;
            switch (spec.Type)
            {
                case ParamType.Section:
                    if (spec.Nullable) Add(path, spec);
                    AddAll(path + ".", spec.Fields ?? [], depth + 1);
                    break;
                case ParamType.Component:
                    var kind = spec.Kind!.Value;
                    Add(path, spec);
                    Add($"{path}.{kind.NameKey()}", spec);
                    // Parameters of every entry of the kind: which entry the file names is not known here. The
                    // depth bound only guards against a catalog whose parameters name their own kind.
                    if (depth < 3) AddAll(path + ".", _catalogs.EntriesOf(kind).SelectMany(e => e.Params), depth + 1);
                    break;
                default:
                    Add(path, spec);
                    break;
            }
        }
    }

    private void Add(string path, ParamSpec spec)
    {
        if (_keys.TryAdd(path, spec)) _order.Add(path);
    }
}
