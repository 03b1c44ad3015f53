using System.Globalization;
using ExperimentRunner.Core.Config;
using ExperimentRunner.Core.Config.Raw;
using ExperimentRunner.Core.Problems;

namespace ExperimentRunner.Core.Sweeps;

/// <summary>Reads the <c>sweep</c> section of a raw tree, reporting every problem in it.</summary>
public static class SweepParser
{
    private static readonly string[] Keys = ["method", "parameters", "seeds", "samples", "exclude", "sampler_seed", "tune"];
    private static readonly string[] Distributions = ["uniform", "log_uniform", "int_uniform"];

    public static SweepSpec? Parse(RawNode? node, long fileSeed, ProblemBag problems)
    {
        if (node is null or RawScalar { IsNull: true }) return null;
        if (node is not RawMapping map)
        {
            problems.Error(node.Mark, "sweep", $"expected a mapping with {string.Join(", ", Keys)}, got {Binder.Describe(node)}");
            return null;
        }
        foreach (var e in map.Entries.Where(e => !Keys.Contains(e.Key)))
            problems.Error(e.KeyMark, $"sweep.{e.Key}", $"unknown key '{e.Key}'{Suggest.DidYouMean(e.Key, Keys)}; allowed: {string.Join(", ", Keys)}");

        var method = SweepMethod.Grid;
        if (map["method"] is { } m)
        {
            if (m is RawScalar ms && Enum.TryParse<SweepMethod>(ms.Value, true, out var parsed) && !int.TryParse(ms.Value, out _)) method = parsed;
            else problems.Error(m.Mark, "sweep.method", $"{Binder.Describe(m)} is not allowed{(m is RawScalar s ? Suggest.DidYouMean(s.Value, ["grid", "zip", "random"]) : "")}; allowed: grid, zip, random");
        }

        var axes = ParseAxes(map, method, problems);
        var (seeds, seedsGiven) = ParseSeeds(map["seeds"], fileSeed, problems);
        var samples = 0;
        if (map["samples"] is { } sn)
        {
            if (method != SweepMethod.Random) problems.Error(sn.Mark, "sweep.samples", $"samples only applies to method: random (this sweep is {method.ToString().ToLowerInvariant()})");
            else samples = PositiveInt(sn, "sweep.samples", problems);
        }
        else if (method == SweepMethod.Random)
        {
            problems.Error(map.Mark, "sweep.samples", "method: random needs samples: N (how many trials to draw)");
        }
        if (method == SweepMethod.Zip && axes.OfType<SweepAxis.Values>().Select(a => a.Items.Count).Distinct().Count() > 1)
        {
            var lengths = string.Join(", ", axes.OfType<SweepAxis.Values>().Select(a => $"{a.Path}: {a.Items.Count}"));
            problems.Error(map["parameters"]!.Mark, "sweep.parameters", $"method: zip walks the lists together, so they need equal lengths; got {lengths}");
        }
        long? samplerSeed = null;
        if (map["sampler_seed"] is { } ss)
        {
            if (method != SweepMethod.Random) problems.Error(ss.Mark, "sweep.sampler_seed", $"sampler_seed only applies to method: random (this sweep is {method.ToString().ToLowerInvariant()})");
            else if (ss is RawScalar { Quoted: false } sss && long.TryParse(sss.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var parsedSeed)) samplerSeed = parsedSeed;
            else problems.Error(ss.Mark, "sweep.sampler_seed", $"expected a whole number >= 0, got {Binder.Describe(ss)}");
        }
        var exclude = ParseExclude(map["exclude"], axes, problems);
        var tune = Tuning.TuneParser.Parse(map["tune"], axes, seeds, problems);
        var sweep = new SweepSpec(method, axes, seeds, samples, exclude, seedsGiven) { SamplerSeed = samplerSeed, Tune = tune };
        SweepSize.Check(sweep, map.Mark, problems);
        return sweep;
    }

    private static List<SweepAxis> ParseAxes(RawMapping map, SweepMethod method, ProblemBag problems) =>
        ParseAxes(map, "sweep", method == SweepMethod.Random, problems);

    /// <param name="section">sweep or sweep.tune: where the parameters are, for messages.</param>
    /// <param name="distributions">Whether values may be drawn from distributions (random sweeps and tuning).</param>
    internal static List<SweepAxis> ParseAxes(RawMapping map, string section, bool distributions, ProblemBag problems)
    {
        var axes = new List<SweepAxis>();
        // A sweep of seeds alone (the same trial at several seeds) needs no parameters.
        if (section == "sweep" && map["parameters"] is null && map["seeds"] is not null && map["method"] is null) return axes;
        if (map["parameters"] is not RawMapping parameters || parameters.Entries.Count == 0)
        {
            problems.Error(map["parameters"]?.Mark ?? map.Mark, $"{section}.parameters", $"{(section == "sweep" ? "a sweep" : "tuning")} needs parameters: a mapping from dotted keys to lists of values, e.g. {(section == "sweep" ? "{loss: [mse, cross_entropy]}" : "{optimizer.lr: [0.001, 0.01, 0.1]}")}");
            return axes;
        }
        foreach (var (key, keyMark, value) in parameters.Entries)
        {
            var path = $"{section}.parameters.{key}";
            if (key is "seed" or "name")
            {
                problems.Error(keyMark, path, key == "seed" ? "sweep seeds with sweep.seeds (a list or a count), not as a parameter" : "the experiment name cannot be swept");
                continue;
            }
            if (key.StartsWith("sweep", StringComparison.Ordinal))
            {
                problems.Error(keyMark, path, "the sweep section cannot sweep itself");
                continue;
            }
            switch (value)
            {
                case RawSequence { Items.Count: > 0 } seq:
                    axes.Add(new SweepAxis.Values(key, seq.Items));
                    break;
                case RawMapping vm when vm["values"] is RawSequence { Items.Count: > 0 } vs && vm.Entries.Count == 1:
                    axes.Add(new SweepAxis.Values(key, vs.Items));
                    break;
                case RawMapping dm when dm["distribution"] is not null:
                    if (ParseDistribution(key, dm, distributions, path, problems) is { } d) axes.Add(d);
                    break;
                default:
                    problems.Error(value.Mark, path, $"expected a non-empty list of values{(distributions ? " or {distribution: uniform|log_uniform|int_uniform, min: A, max: B}" : "")}, got {Binder.Describe(value)}");
                    break;
            }
        }
        return axes;
    }

    private static SweepAxis.Distribution? ParseDistribution(string key, RawMapping dm, bool allowed, string path, ProblemBag problems)
    {
        if (!allowed)
        {
            problems.Error(dm.Mark, path, "distributions need method: random; grid and zip take lists of values");
            return null;
        }
        foreach (var e in dm.Entries.Where(e => e.Key is not ("distribution" or "min" or "max")))
            problems.Error(e.KeyMark, $"{path}.{e.Key}", $"unknown key '{e.Key}'; a distribution takes distribution, min, max");
        var kindNode = dm["distribution"] as RawScalar;
        var kind = Distributions.FirstOrDefault(d => string.Equals(d, kindNode?.Value, StringComparison.OrdinalIgnoreCase));
        if (kind is null)
            problems.Error(dm["distribution"]!.Mark, $"{path}.distribution", $"'{kindNode?.Value}' is not allowed{Suggest.DidYouMean(kindNode?.Value ?? "", Distributions)}; allowed: {string.Join(", ", Distributions)}");
        var min = Number(dm["min"], $"{path}.min", dm.Mark, problems);
        var max = Number(dm["max"], $"{path}.max", dm.Mark, problems);
        if (min is null || max is null || kind is null) return null;
        if (min >= max) problems.Error(dm.Mark, path, $"min ({min}) must be below max ({max})");
        else if (kind == "log_uniform" && min <= 0) problems.Error(dm["min"]!.Mark, $"{path}.min", $"log_uniform needs min > 0, got {min}");
        else if (kind == "int_uniform" && (min != Math.Floor(min.Value) || max != Math.Floor(max.Value))) problems.Error(dm.Mark, path, "int_uniform needs whole-number min and max");
        else return new SweepAxis.Distribution(key, kind, min.Value, max.Value, dm.Mark);
        return null;
    }

    private static double? Number(RawNode? node, string path, SourceMark parent, ProblemBag problems)
    {
        if (node is RawScalar { Quoted: false } s && double.TryParse(s.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && double.IsFinite(v)) return v;
        problems.Error(node?.Mark ?? parent, path, node is null ? "missing; a distribution needs min and max" : $"expected a number, got {Binder.Describe(node)}");
        return null;
    }

    private static (IReadOnlyList<long>, bool) ParseSeeds(RawNode? node, long fileSeed, ProblemBag problems)
    {
        switch (node)
        {
            case null:
                return ([fileSeed], false);
            case RawScalar { Quoted: false } s when int.TryParse(s.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var count) && count >= 1 && count <= 10_000:
                // A count means seeds 1..N, so "seeds: 3" and "seeds: [1, 2, 3]" are the same sweep.
                return (Enumerable.Range(1, count).Select(i => (long)i).ToList(), true);
            case RawSequence { Items.Count: > 0 } seq:
                var seeds = new List<long>();
                foreach (var item in seq.Items)
                {
                    if (item is RawScalar { Quoted: false } si && long.TryParse(si.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var seed) && seed <= int.MaxValue)
                    {
                        if (seeds.Contains(seed)) problems.Error(si.Mark, "sweep.seeds", $"seed {seed} is listed twice");
                        seeds.Add(seed);
                    }
                    else problems.Error(item.Mark, "sweep.seeds", $"expected a seed (integer >= 0), got {Binder.Describe(item)}");
                }
                return (seeds, true);
            default:
                problems.Error(node.Mark, "sweep.seeds", $"expected a list of seeds like [1, 2, 3] or a count from 1 to 10000, got {Binder.Describe(node)}");
                return ([fileSeed], false);
        }
    }

    internal static int PositiveInt(RawNode node, string path, ProblemBag problems)
    {
        if (node is RawScalar { Quoted: false } s && int.TryParse(s.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var v) && v >= 1) return v;
        problems.Error(node.Mark, path, $"expected a whole number >= 1, got {Binder.Describe(node)}");
        return 0;
    }

    private static List<IReadOnlyList<(string, RawNode)>> ParseExclude(RawNode? node, List<SweepAxis> axes, ProblemBag problems)
    {
        var rules = new List<IReadOnlyList<(string, RawNode)>>();
        if (node is null) return rules;
        if (node is not RawSequence seq)
        {
            problems.Error(node.Mark, "sweep.exclude", $"expected a list of partial trials like [{{loss: nll, model.activation: sigmoid}}], got {Binder.Describe(node)}");
            return rules;
        }
        var swept = axes.Select(a => a.Path).Append("seed").ToList();
        foreach (var item in seq.Items)
        {
            if (item is not RawMapping m || m.Entries.Count == 0)
            {
                problems.Error(item.Mark, "sweep.exclude", $"each exclusion is a mapping of swept keys to values, got {Binder.Describe(item)}");
                continue;
            }
            foreach (var e in m.Entries.Where(e => !swept.Contains(e.Key)))
                problems.Error(e.KeyMark, $"sweep.exclude.{e.Key}", $"'{e.Key}' is not swept{Suggest.DidYouMean(e.Key, swept)}; exclusions match swept keys: {string.Join(", ", swept)}");
            rules.Add(m.Entries.Select(e => (e.Key, e.Value)).ToList());
        }
        return rules;
    }
}
