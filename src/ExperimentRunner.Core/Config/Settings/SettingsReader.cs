using System.Globalization;

namespace ExperimentRunner.Core.Config.Settings;

/// <summary>
/// Reads a bound component into a typed settings record. Keys the component's catalog entry does not declare
/// read as null; every key read is ticked off, and <see cref="Done"/> fails on a key no property took, so a
/// parameter added to a catalog but forgotten in its settings record fails the catalog-wide tests instead of
/// being silently ignored.
/// </summary>
internal sealed class SettingsReader(Component component)
{
    private readonly HashSet<string> _unread = component.Values.Select(v => v.Key).ToHashSet(StringComparer.Ordinal);

    public string Name => component.Name;

    public bool Has(string key) => component.Has(key);

    public double? Float(string key) => Take(key) is { } v ? Convert.ToDouble(v, CultureInfo.InvariantCulture) : null;

    public long? Long(string key) => Take(key) is { } v ? Convert.ToInt64(v, CultureInfo.InvariantCulture) : null;

    public int? Int(string key) => Long(key) is { } v ? checked((int)v) : null;

    public bool? Bool(string key) => (bool?)Take(key);

    public string? Text(string key) => (string?)Take(key);

    public IReadOnlyList<double>? Floats(string key) => (IReadOnlyList<double>?)Take(key);

    public IReadOnlyList<long>? Longs(string key) => (IReadOnlyList<long>?)Take(key);

    public IReadOnlyList<string>? Texts(string key) => (IReadOnlyList<string>?)Take(key);

    public Component? Child(string key) => (Component?)Take(key);

    public IReadOnlyList<Component>? Children(string key) => (IReadOnlyList<Component>?)Take(key);

    /// <exception cref="InvalidOperationException">A key of the component was never read: a settings record lags its catalog entry.</exception>
    public void Done()
    {
        if (_unread.Count > 0)
            throw new InvalidOperationException($"the settings of '{component.Name}' do not take its parameter(s) {string.Join(", ", _unread.Order(StringComparer.Ordinal))}");
    }

    private object? Take(string key)
    {
        if (!component.Has(key)) return null;
        _unread.Remove(key);
        return component[key];
    }

    public static InvalidOperationException Missing(string owner, string key) =>
        new($"'{owner}' has no '{key}': the catalog entry and its settings record disagree");
}
