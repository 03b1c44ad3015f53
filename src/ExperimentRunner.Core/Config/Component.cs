using System.Globalization;

namespace ExperimentRunner.Core.Config;

/// <summary>
/// A bound catalog choice with every parameter filled in (defaults included): <c>{name: huber, delta: 1.0}</c>.
/// Sections (training, early_stopping, ...) use the same shape with the section's key as name.
/// </summary>
public sealed class Component(string name, IReadOnlyList<KeyValuePair<string, object?>> values, string? nameKey = null)
{
    private readonly Dictionary<string, object?> _byKey = values.ToDictionary(kv => kv.Key, kv => kv.Value);

    public string Name { get; } = name;
    /// <summary>The key that names the catalog entry (<c>name</c>, <c>architecture</c>); null for a section.</summary>
    public string? NameKey { get; } = nameKey;
    /// <summary>Parameters in declaration order (stable output in config.yaml).</summary>
    public IReadOnlyList<KeyValuePair<string, object?>> Values { get; } = values;

    public bool Has(string key) => _byKey.ContainsKey(key);
    public object? this[string key] => _byKey.TryGetValue(key, out var v) ? v : throw new KeyNotFoundException($"'{Name}' has no parameter '{key}'");

    public long Int(string key) => Convert.ToInt64(this[key], CultureInfo.InvariantCulture);
    public int Int32(string key) => checked((int)Int(key));
    public double Float(string key) => Convert.ToDouble(this[key], CultureInfo.InvariantCulture);
    public double? FloatOrNull(string key) => this[key] is null ? null : Float(key);
    public long? IntOrNull(string key) => this[key] is null ? null : Int(key);
    public bool Bool(string key) => (bool)this[key]!;
    public string String(string key) => (string)this[key]!;
    public string? StringOrNull(string key) => (string?)this[key];
    public IReadOnlyList<long> Ints(string key) => (IReadOnlyList<long>)this[key]!;
    public IReadOnlyList<double> Floats(string key) => (IReadOnlyList<double>)this[key]!;
    public IReadOnlyList<double>? FloatsOrNull(string key) => (IReadOnlyList<double>?)this[key];
    public Component Child(string key) => (Component)this[key]!;
    public Component? ChildOrNull(string key) => (Component?)this[key];
    public IReadOnlyList<Component> Children(string key) => (IReadOnlyList<Component>)this[key]!;
    public IReadOnlyList<string> Strings(string key) => (IReadOnlyList<string>)this[key]!;

    public override string ToString() => Name;
}

public static class ComponentEdits
{
    /// <summary>A copy with one value replaced (components are immutable).</summary>
    public static Component With(this Component c, string key, object? value) =>
        new(c.Name, c.Values.Select(kv => kv.Key == key ? new KeyValuePair<string, object?>(key, value) : kv).ToList(), c.NameKey);

    /// <summary>The bound value at a dotted path, or null when a part is missing.</summary>
    public static object? At(this Component c, string path)
    {
        object? node = c;
        foreach (var key in path.Split('.'))
        {
            if (node is not Component comp || !comp.Has(key)) return null;
            node = comp[key];
        }
        return node;
    }
}
