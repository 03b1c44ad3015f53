namespace ExperimentRunner.Core.Catalog;

public enum ParamType
{
    Int,
    Float,
    Bool,
    String,
    /// <summary>One of a fixed set of words (<see cref="ParamSpec.Choices"/>).</summary>
    Choice,
    IntList,
    FloatList,
    /// <summary>A catalog name, as a word or as a mapping with parameters.</summary>
    Component,
    /// <summary>A list of catalog names.</summary>
    ComponentList,
    /// <summary>A nested mapping with its own parameters.</summary>
    Section,
    /// <summary>A list of nested mappings, each with the same parameters.</summary>
    SectionList,
    /// <summary>A list of free words or numbers kept as text (column names or indices).</summary>
    TextList,
    /// <summary>A list of catalog entries, each a name or a mapping with its parameters (the layers of a sequential model).</summary>
    ComponentSequence,
}

/// <summary>
/// One key of an experiment file: its type, default, allowed range and description. The binder, the
/// JSON Schema, <c>exprun list</c> and the README reference are all derived from these.
/// </summary>
public sealed record ParamSpec
{
    public required string Name { get; init; }
    public required ParamType Type { get; init; }
    public string Description { get; init; } = "";
    /// <summary>Default value in its bound form (long, double, bool, string, lists, Component).</summary>
    public object? Default { get; init; }
    public bool Required { get; init; }
    /// <summary>null is a legal value (an optional section or "not set").</summary>
    public bool Nullable { get; init; }
    public double? Min { get; init; }
    public double? Max { get; init; }
    public bool MinExclusive { get; init; }
    public bool MaxExclusive { get; init; }
    public int? MinCount { get; init; }
    public int? MaxCount { get; init; }
    public IReadOnlyList<string>? Choices { get; init; }
    public CatalogKind? Kind { get; init; }
    public IReadOnlyList<ParamSpec>? Fields { get; init; }
    /// <summary>A regular expression a string must match (e.g. experiment names).</summary>
    public string? Pattern { get; init; }

    public string RangeText()
    {
        if (Min is null && Max is null) return "";
        var lo = Min is null ? "" : (MinExclusive ? "> " : ">= ") + Format(Min.Value);
        var hi = Max is null ? "" : (MaxExclusive ? "< " : "<= ") + Format(Max.Value);
        return lo.Length > 0 && hi.Length > 0 ? $"{lo} and {hi}" : lo + hi;
    }

    public string TypeText() => Type switch
    {
        ParamType.Int => "integer",
        ParamType.Float => "number",
        ParamType.Bool => "true or false",
        ParamType.String => "text",
        ParamType.Choice => $"one of {string.Join(", ", Choices ?? [])}",
        ParamType.IntList => "list of integers",
        ParamType.FloatList => "list of numbers",
        ParamType.Component => $"{Kind?.Singular()} name or mapping",
        ParamType.ComponentList => $"list of {Kind?.Singular()} names",
        ParamType.Section => "mapping",
        ParamType.SectionList => "list of mappings",
        ParamType.TextList => "list of names or numbers",
        ParamType.ComponentSequence => $"list of {Kind?.Singular()}s, each a name or a mapping with '{Kind?.NameKey()}'",
        _ => Type.ToString(),
    };

    private static string Format(double v) => v.ToString("R", System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>Short constructors so catalog entries read like a table.</summary>
public static class P
{
    public static ParamSpec Int(string name, long? @default, string description, double? min = null, double? max = null, bool nullable = false) =>
        new() { Name = name, Type = ParamType.Int, Default = @default, Description = description, Min = min, Max = max, Nullable = nullable || @default is null };

    public static ParamSpec Float(string name, double? @default, string description, double? min = null, double? max = null, bool minExclusive = false, bool maxExclusive = false, bool nullable = false) =>
        new() { Name = name, Type = ParamType.Float, Default = @default, Description = description, Min = min, Max = max, MinExclusive = minExclusive, MaxExclusive = maxExclusive, Nullable = nullable || @default is null };

    public static ParamSpec Bool(string name, bool @default, string description) =>
        new() { Name = name, Type = ParamType.Bool, Default = @default, Description = description };

    public static ParamSpec Text(string name, string? @default, string description, bool required = false, string? pattern = null) =>
        new() { Name = name, Type = ParamType.String, Default = @default, Description = description, Required = required, Pattern = pattern, Nullable = !required && @default is null };

    public static ParamSpec Choice(string name, string @default, string description, params string[] choices) =>
        new() { Name = name, Type = ParamType.Choice, Default = @default, Description = description, Choices = choices };

    public static ParamSpec Ints(string name, long[]? @default, string description, double? min = null, int? minCount = null, int? maxCount = null) =>
        new() { Name = name, Type = ParamType.IntList, Default = @default, Description = description, Min = min, MinCount = minCount, MaxCount = maxCount, Nullable = @default is null };

    public static ParamSpec Floats(string name, double[]? @default, string description, double? min = null, double? max = null, int? minCount = null, int? maxCount = null) =>
        new() { Name = name, Type = ParamType.FloatList, Default = @default, Description = description, Min = min, Max = max, MinCount = minCount, MaxCount = maxCount, Nullable = @default is null };

    public static ParamSpec Component(string name, CatalogKind kind, string? @default, string description, bool required = false, bool nullable = false) =>
        new() { Name = name, Type = ParamType.Component, Kind = kind, Default = @default, Description = description, Required = required, Nullable = nullable };

    public static ParamSpec Components(string name, CatalogKind kind, string[] @default, string description) =>
        new() { Name = name, Type = ParamType.ComponentList, Kind = kind, Default = @default, Description = description };

    public static ParamSpec Texts(string name, string description) =>
        new() { Name = name, Type = ParamType.TextList, Default = null, Description = description, Nullable = true };

    public static ParamSpec ComponentSequence(string name, CatalogKind kind, string description, int minCount = 1) =>
        new() { Name = name, Type = ParamType.ComponentSequence, Kind = kind, Description = description, Required = true, MinCount = minCount };

    public static ParamSpec Section(string name, string description, bool nullable, params ParamSpec[] fields) =>
        new() { Name = name, Type = ParamType.Section, Fields = fields, Description = description, Nullable = nullable };

    public static ParamSpec Sections(string name, string description, bool required, params ParamSpec[] fields) =>
        new() { Name = name, Type = ParamType.SectionList, Fields = fields, Description = description, Required = required };
}
