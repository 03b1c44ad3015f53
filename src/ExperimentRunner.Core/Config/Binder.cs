using System.Globalization;
using System.Text.RegularExpressions;
using ExperimentRunner.Core.Catalog;
using ExperimentRunner.Core.Config.Raw;
using ExperimentRunner.Core.Problems;

namespace ExperimentRunner.Core.Config;

/// <summary>
/// Turns a raw tree into bound values following <see cref="ParamSpec"/>s. Never stops at the first
/// problem: every wrong key, type and range is added to the bag, and a best-effort value is returned (a
/// stand-in with defaults where a name or a required key is wrong), so the cross-field rules can still check
/// the parts of the file that did bind.
/// </summary>
public sealed class Binder(Catalogs catalogs, ProblemBag problems)
{
    private readonly List<string> _failed = [];

    /// <summary>Key paths whose value was wrong and replaced by a default or stand-in: rules reading them must not run.</summary>
    public IReadOnlyList<string> FailedPaths => _failed;

    private void Fail(SourceMark mark, string path, string message)
    {
        _failed.Add(path);
        problems.Error(mark, path, message);
    }

    /// <param name="boundElsewhere">Keys the mapping may hold that another part of the loader binds (the root's <c>sweep</c>).</param>
    public Component BindSection(RawNode? node, string name, IReadOnlyList<ParamSpec> fields, string path, SourceMark parentMark, IReadOnlyList<string>? boundElsewhere = null)
    {
        if (node is null || node is RawScalar { IsNull: true })
            return BindFields(name, null, fields, path, node?.Mark ?? parentMark);
        if (node is not RawMapping map)
        {
            Fail(node.Mark, path, $"expected a mapping with keys {string.Join(", ", fields.Select(f => f.Name))}, got {Describe(node)}");
            return BindFields(name, null, fields, path, node.Mark);
        }
        return BindFields(name, map, fields, path, map.Mark, alsoAllowed: boundElsewhere);
    }

    private Component BindFields(string name, RawMapping? map, IReadOnlyList<ParamSpec> fields, string path, SourceMark mark, string? nameKey = null, IReadOnlyList<string>? alsoAllowed = null)
    {
        alsoAllowed = nameKey is null ? alsoAllowed ?? [] : [nameKey];
        var values = new List<KeyValuePair<string, object?>>();
        foreach (var field in fields)
        {
            var entry = map?.Find(field.Name);
            values.Add(new(field.Name, Bind(entry?.Value, field, Join(path, field.Name), entry?.KeyMark ?? mark)));
        }
        if (map is not null)
        {
            var known = fields.Select(f => f.Name).Concat(alsoAllowed).ToList();
            foreach (var entry in map.Entries.Where(e => !known.Contains(e.Key)))
            {
                // The name key alone (`{name: mse}`) is no parameter: say so instead of "allowed: name".
                var allowed = fields.Count == 0 ? "takes no parameters" : $"allowed: {string.Join(", ", known)}";
                problems.Error(entry.KeyMark, Join(path, entry.Key), $"unknown key '{entry.Key}'{Suggest.DidYouMean(entry.Key, known)}; {(name.Length > 0 ? $"'{name}' " : "")}{allowed}");
            }
        }
        return new Component(name, values, nameKey);
    }

    public object? Bind(RawNode? node, ParamSpec spec, string path, SourceMark parentMark)
    {
        if (node is null)
        {
            if (spec.Required)
            {
                Fail(parentMark, path, $"required key '{spec.Name}' is missing ({spec.Description})");
                return StandIn(spec, path, parentMark);
            }
            return spec.Type switch
            {
                ParamType.Section when spec.Default is not null || !spec.Nullable => BindSection(null, spec.Name, spec.Fields!, path, parentMark),
                ParamType.Component when spec.Default is string name => BindComponent(new RawScalar(name, false, parentMark), spec.Kind!.Value, path),
                ParamType.ComponentList => ((IEnumerable<string>)spec.Default!).ToList(),
                ParamType.IntList => (spec.Default as long[])?.ToList(),
                ParamType.FloatList => (spec.Default as double[])?.ToList(),
                ParamType.SectionList or ParamType.ComponentSequence => new List<Component>(),
                ParamType.TextList => (spec.Default as string[])?.ToList(),
                _ => spec.Default,
            };
        }
        if (node is RawScalar { IsNull: true })
        {
            if (spec.Nullable) return null;
            Fail(node.Mark, path, $"'{spec.Name}' cannot be null; expected {spec.TypeText()}");
            return StandIn(spec, path, node.Mark);
        }
        return spec.Type switch
        {
            ParamType.Int => BindInt(node, spec, path),
            ParamType.Float => BindFloat(node, spec, path),
            ParamType.Bool => BindBool(node, spec, path),
            ParamType.String => BindString(node, spec, path),
            ParamType.Choice => BindChoice(node, spec, path),
            ParamType.IntList => BindList(node, spec, path, (n, i) => BindInt(n, spec, i)),
            ParamType.FloatList => BindList(node, spec, path, (n, i) => BindFloat(n, spec, i)),
            ParamType.Component => BindComponent(node, spec.Kind!.Value, path, spec.Default as string),
            ParamType.ComponentList => BindNameList(node, spec, path),
            ParamType.Section => BindSection(node, spec.Name, spec.Fields!, path, node.Mark),
            ParamType.SectionList => BindSectionList(node, spec, path),
            ParamType.TextList => BindTextList(node, spec, path),
            ParamType.ComponentSequence => BindComponentSequence(node, spec, path),
            _ => throw new InvalidOperationException($"unhandled parameter type {spec.Type}"),
        };
    }

    /// <param name="defaultName">
    /// The entry a mapping without a name means (<c>optimizer: {lr: 0.1}</c> is the default adam with lr 0.1), so
    /// a parameter can be set or swept without restating the name; null where a name is required.
    /// </param>
    public Component? BindComponent(RawNode node, CatalogKind kind, string path, string? defaultName = null)
    {
        var nameKey = kind.NameKey();
        string? name;
        RawMapping? map = null;
        SourceMark nameMark = node.Mark;
        switch (node)
        {
            case RawScalar s when !s.IsNull:
                name = s.Value;
                break;
            case RawMapping m:
                map = m;
                var nameEntry = m.Find(nameKey);
                if (nameEntry?.Value is RawScalar { IsNull: false } ns)
                {
                    name = ns.Value;
                    nameMark = ns.Mark;
                }
                else if (nameEntry is null && defaultName is not null)
                {
                    name = defaultName;
                }
                else
                {
                    Fail(m.Mark, Join(path, nameKey), $"missing '{nameKey}': say which {kind.Singular()} to use, e.g. {{{nameKey}: {catalogs.EntriesOf(kind)[0].Name}, ...}}");
                    return StandIn(kind, defaultName, path, node.Mark);
                }
                break;
            default:
                Fail(node.Mark, path, $"expected a {kind.Singular()} name or a mapping with '{nameKey}', got {Describe(node)}");
                return StandIn(kind, defaultName, path, node.Mark);
        }
        if (!catalogs.TryGet(kind, name, out var entry))
        {
            Fail(nameMark, map is null ? path : Join(path, nameKey), catalogs.UnknownMessage(kind, name));
            return StandIn(kind, defaultName, path, node.Mark);
        }
        return BindFields(entry.Name, map?.Without(nameKey), entry.Params, path, node.Mark, nameKey);
    }

    /// <summary>
    /// What a wrong or missing choice binds to after its error is reported: the default entry (or the kind's first)
    /// with its defaults. Only rules that do not read the key run on it (see ExperimentLoader).
    /// </summary>
    private Component StandIn(CatalogKind kind, string? defaultName, string path, SourceMark mark)
    {
        var entry = defaultName is not null && catalogs.TryGet(kind, defaultName, out var named) ? named : catalogs.EntriesOf(kind)[0];
        return new Binder(catalogs, new ProblemBag()).BindFields(entry.Name, null, entry.Params, path, mark, kind.NameKey());
    }

    /// <summary>
    /// What a wrong, null or missing required value binds to after its error is reported: a choice's stand-in, empty
    /// text, or what the key binds to when it is left out (a section with its defaults, a list), bound apart so
    /// nothing is reported twice. Never null where the spec reads a section or a choice.
    /// </summary>
    private object? StandIn(ParamSpec spec, string path, SourceMark mark) => spec.Type switch
    {
        ParamType.Component => StandIn(spec.Kind!.Value, spec.Default as string, path, mark),
        ParamType.String => "",
        _ => new Binder(catalogs, new ProblemBag()).Bind(null, spec with { Required = false }, path, mark),
    };

    private object? BindInt(RawNode node, ParamSpec spec, string path)
    {
        if (node is RawScalar { Quoted: false } s && long.TryParse(s.Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var v))
        {
            // Integer settings are 32-bit counts downstream: beyond that a value is out of range here, not an overflow later.
            CheckRange(v, spec with { Min = spec.Min ?? int.MinValue, Max = Math.Min(spec.Max ?? int.MaxValue, int.MaxValue) }, s, path);
            return v is >= int.MinValue and <= int.MaxValue ? v : spec.Default;
        }
        Fail(node.Mark, path, $"expected an integer{RangeSuffix(spec)}, got {Describe(node)}");
        return spec.Default;
    }

    private object? BindFloat(RawNode node, ParamSpec spec, string path)
    {
        if (node is RawScalar { Quoted: false } s && double.TryParse(s.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && double.IsFinite(v))
        {
            CheckRange(v, spec, s, path);
            return v;
        }
        Fail(node.Mark, path, $"expected a number{RangeSuffix(spec)}, got {Describe(node)}");
        return spec.Default;
    }

    private object? BindBool(RawNode node, ParamSpec spec, string path)
    {
        if (node is RawScalar { Quoted: false } s && bool.TryParse(s.Value, out var v)) return v;
        Fail(node.Mark, path, $"expected true or false, got {Describe(node)}");
        return spec.Default;
    }

    private object? BindString(RawNode node, ParamSpec spec, string path)
    {
        if (node is not RawScalar s)
        {
            Fail(node.Mark, path, $"expected text, got {Describe(node)}");
            return spec.Default;
        }
        if (spec.Pattern is not null && !Regex.IsMatch(s.Value, spec.Pattern))
            Fail(s.Mark, path, $"'{s.Value}' is not allowed: {spec.Description}");
        return s.Value;
    }

    private object? BindChoice(RawNode node, ParamSpec spec, string path)
    {
        var choices = spec.Choices!;
        if (node is RawScalar s && choices.FirstOrDefault(c => string.Equals(c, s.Value, StringComparison.OrdinalIgnoreCase)) is { } hit)
            return hit;
        var given = node is RawScalar gs ? $"'{gs.Value}'" : Describe(node);
        var hint = node is RawScalar hs ? Suggest.DidYouMean(hs.Value, choices) : "";
        Fail(node.Mark, path, $"{given} is not allowed{hint}; allowed: {string.Join(", ", choices)}");
        return spec.Default;
    }

    private object? BindList(RawNode node, ParamSpec spec, string path, Func<RawNode, string, object?> item)
    {
        if (node is not RawSequence seq)
        {
            Fail(node.Mark, path, $"expected a {spec.TypeText()} like [{ExampleList(spec)}], got {Describe(node)}");
            return spec.Type == ParamType.IntList ? (spec.Default as long[])?.ToList() : (spec.Default as double[])?.ToList();
        }
        CheckCount(seq, spec, path);
        var items = seq.Items.Select((n, i) => item(n, $"{path}[{i}]")).ToList();
        return spec.Type == ParamType.IntList
            ? items.Select(i => i is long l ? l : 0L).ToList()
            : (object)items.Select(i => i is double d ? d : 0.0).ToList();
    }

    private List<string> BindNameList(RawNode node, ParamSpec spec, string path)
    {
        if (node is not RawSequence seq)
        {
            Fail(node.Mark, path, $"expected a list of names, got {Describe(node)}");
            return [];
        }
        var names = new List<string>();
        for (var i = 0; i < seq.Items.Count; i++)
        {
            var itemPath = $"{path}[{i}]";
            if (seq.Items[i] is not RawScalar { IsNull: false } s)
            {
                Fail(seq.Items[i].Mark, itemPath, $"expected a name, got {Describe(seq.Items[i])}");
                continue;
            }
            string? canonical = null;
            if (spec.Kind is { } kind)
            {
                if (catalogs.TryGet(kind, s.Value, out var entry)) canonical = entry.Name;
                else Fail(s.Mark, itemPath, catalogs.UnknownMessage(kind, s.Value));
            }
            else
            {
                canonical = spec.Choices!.FirstOrDefault(c => string.Equals(c, s.Value, StringComparison.OrdinalIgnoreCase));
                if (canonical is null)
                    Fail(s.Mark, itemPath, $"'{s.Value}' is not allowed{Suggest.DidYouMean(s.Value, spec.Choices!)}; allowed: {string.Join(", ", spec.Choices!)}");
            }
            if (canonical is null) continue;
            if (names.Contains(canonical)) Fail(s.Mark, itemPath, $"'{canonical}' is listed twice");
            else names.Add(canonical);
        }
        return names;
    }

    private List<Component> BindSectionList(RawNode node, ParamSpec spec, string path)
    {
        if (node is not RawSequence seq)
        {
            Fail(node.Mark, path, $"expected a list of mappings, got {Describe(node)}");
            return [];
        }
        CheckCount(seq, spec, path);
        return seq.Items.Select((n, i) => BindSection(n, spec.Name, spec.Fields!, $"{path}[{i}]", n.Mark)).ToList();
    }

    private List<string> BindTextList(RawNode node, ParamSpec spec, string path)
    {
        if (node is not RawSequence seq)
        {
            Fail(node.Mark, path, $"expected a list like [a, b] or [0, 2], got {Describe(node)}");
            return [];
        }
        CheckCount(seq, spec, path);
        var items = new List<string>();
        for (var i = 0; i < seq.Items.Count; i++)
        {
            if (seq.Items[i] is not RawScalar { IsNull: false } s)
                Fail(seq.Items[i].Mark, $"{path}[{i}]", $"expected a name or a number, got {Describe(seq.Items[i])}");
            else if (items.Contains(s.Value))
                Fail(s.Mark, $"{path}[{i}]", $"'{s.Value}' is listed twice");
            else
                items.Add(s.Value);
        }
        return items;
    }

    /// <summary>Each item is a catalog component of its own (<c>{type: conv2d, out_channels: 8}</c> or just <c>relu</c>).</summary>
    private List<Component> BindComponentSequence(RawNode node, ParamSpec spec, string path)
    {
        var kind = spec.Kind!.Value;
        if (node is not RawSequence seq)
        {
            Fail(node.Mark, path, $"expected a list of {kind.Singular()}s like [{{{kind.NameKey()}: {catalogs.EntriesOf(kind)[0].Name}}}], got {Describe(node)}");
            return [];
        }
        CheckCount(seq, spec, path);
        var items = new List<Component>();
        for (var i = 0; i < seq.Items.Count; i++)
        {
            if (BindComponent(seq.Items[i], kind, $"{path}[{i}]") is { } item) items.Add(item);
        }
        return items;
    }

    private void CheckCount(RawSequence seq, ParamSpec spec, string path)
    {
        if (spec.MinCount is { } min && seq.Items.Count < min || spec.MaxCount is { } max && seq.Items.Count > max)
        {
            var want = spec.MinCount == spec.MaxCount ? $"exactly {spec.MinCount}" : spec.MaxCount is null ? $"at least {spec.MinCount}" : $"{spec.MinCount ?? 0} to {spec.MaxCount}";
            Fail(seq.Mark, path, $"expected {want} items, got {seq.Items.Count}: {seq.Describe()}");
        }
    }

    private void CheckRange(double v, ParamSpec spec, RawScalar s, string path)
    {
        var low = spec.Min is { } min && (spec.MinExclusive ? v <= min : v < min);
        var high = spec.Max is { } max && (spec.MaxExclusive ? v >= max : v > max);
        if (low || high) Fail(s.Mark, path, $"{s.Value} is out of range; allowed: {spec.RangeText()}");
    }

    private static string RangeSuffix(ParamSpec spec) => spec.RangeText() is { Length: > 0 } r ? $" ({r})" : "";

    private static string ExampleList(ParamSpec spec) => spec.Default switch
    {
        long[] l => string.Join(", ", l),
        double[] d => string.Join(", ", d.Select(x => x.ToString(CultureInfo.InvariantCulture))),
        _ => spec.Type == ParamType.IntList ? "1, 2" : "0.5, 0.5",
    };

    public static string Describe(RawNode node) => node switch
    {
        RawScalar s when s.IsNull => "null",
        RawScalar s when s.Quoted => $"text \"{s.Value}\"",
        RawScalar s => $"'{s.Value}'",
        RawSequence q => $"a list {q.Describe()}",
        RawMapping m => $"a mapping {m.Describe()}",
        _ => node.ToString()!,
    };

    public static string Join(string path, string key) => path.Length == 0 ? key : $"{path}.{key}";
}
