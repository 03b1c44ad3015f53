using System.Globalization;

namespace ExperimentRunner.Core.Config.Raw;

/// <summary>
/// How much an experiment file may hold. The largest real experiment nests about 6 deep and holds a few hundred
/// values; the bounds are far above that and far below what would exhaust the stack, the memory or the patience of
/// everything downstream (binding, sweep expansion, messages that print a value).
/// </summary>
public static class ReaderLimits
{
    /// <summary>Lists and mappings inside one another, aliases expanded.</summary>
    public const int MaxDepth = 64;

    /// <summary>Scalars, lists and mappings of the whole file, each alias counting everything it repeats.</summary>
    public const int MaxValues = 20_000;

    /// <summary>Size of an experiment file on disk.</summary>
    public const long MaxFileBytes = 16L * 1024 * 1024;

    public static string DepthMessage(string what) =>
        $"{what} nests deeper than {MaxDepth} levels; lists and mappings may sit at most {MaxDepth} deep in one another (an experiment needs about 6)";

    public static string ValuesMessage(string what) =>
        $"{what} the file holds more than {MaxValues.ToString(CultureInfo.InvariantCulture)} values (every scalar, list and mapping counts, and an alias counts everything it repeats); an experiment file needs a few hundred";
}
