using System.Globalization;
using ExperimentRunner.Core.Config;
using ExperimentRunner.Core.Config.Raw;
using ExperimentRunner.Core.Problems;
using ExperimentRunner.Core.Sweeps;

namespace ExperimentRunner.Core.Tuning;

/// <summary>Reads <c>sweep.tune</c>, reporting every problem in it.</summary>
public static class TuneParser
{
    private static readonly string[] Keys = ["parameters", "budget", "metric", "seed", "sampler_seed", "stopping"];
    public static readonly string[] Rules = ["asha", "median", "none"];
    private static readonly string[] StoppingKeys = ["name", "reduction_factor", "min_epochs", "max_epochs", "interval"];

    /// <param name="swept">The sweep's own axes: a key is swept or tuned, not both.</param>
    /// <param name="seeds">The sweep's seeds: tuning runs at a seed apart from them unless told otherwise.</param>
    public static TuneSpec? Parse(RawNode? node, IReadOnlyList<SweepAxis> swept, IReadOnlyList<long> seeds, ProblemBag problems)
    {
        if (node is null or RawScalar { IsNull: true }) return null;
        if (node is not RawMapping map)
        {
            problems.Error(node.Mark, "sweep.tune", $"expected a mapping with {string.Join(", ", Keys)}, got {Binder.Describe(node)}");
            return null;
        }
        foreach (var e in map.Entries.Where(e => !Keys.Contains(e.Key)))
            problems.Error(e.KeyMark, $"sweep.tune.{e.Key}", $"unknown key '{e.Key}'{Suggest.DidYouMean(e.Key, Keys)}; allowed: {string.Join(", ", Keys)}");

        var axes = SweepParser.ParseAxes(map, "sweep.tune", distributions: true, problems);
        var parameters = (RawMapping?)map["parameters"];
        foreach (var axis in axes.Where(a => swept.Any(s => s.Path == a.Path)))
            problems.Error(parameters!.Find(axis.Path)!.KeyMark, $"sweep.tune.parameters.{axis.Path}", $"'{axis.Path}' is swept already; a key is either swept (every value is a cell) or tuned (the best value per cell is picked), not both");

        var combinations = axes.All(a => a is SweepAxis.Values)
            ? axes.Cast<SweepAxis.Values>().Aggregate(1L, (n, a) => n * a.Items.Count)
            : (long?)null;
        var budget = 0;
        if (map["budget"] is { } b)
        {
            budget = SweepParser.PositiveInt(b, "sweep.tune.budget", problems);
            if (budget > 0 && combinations is { } all && budget > all)
                problems.Error(b.Mark, "sweep.tune.budget", $"{budget} is more than the {all} settings the lists give; give at most {all} (or a distribution to draw from)");
        }
        else if (combinations is { } all)
        {
            budget = all > 10_000 ? 0 : (int)all;
            if (all > 10_000) problems.Error(map.Mark, "sweep.tune.budget", $"the lists give {all} settings; give budget: N to try N of them");
        }
        else if (axes.Count > 0)
        {
            problems.Error(map.Mark, "sweep.tune.budget", "tuning with a distribution needs budget: N (how many settings each cell tries)");
        }

        var metric = TuneSpec.DefaultMetric;
        if (map["metric"] is { } m)
        {
            if (m is RawScalar { IsNull: false } ms && ms.Value.StartsWith("val_", StringComparison.Ordinal)) metric = ms.Value;
            else problems.Error(m.Mark, "sweep.tune.metric", $"{Binder.Describe(m)} is not allowed; tuning picks by a validation value: val_loss or val_<metric> (e.g. val_accuracy), never a test metric");
        }

        var seed = seeds.Contains(0) ? seeds.Max() + 1 : 0;
        if (map["seed"] is { } s)
        {
            seed = Whole(s, "sweep.tune.seed", problems) ?? seed;
            // A setting picked on a seed that is also reported would carry its lucky draw into the comparison.
            if (seeds.Contains(seed))
                problems.Error(s.Mark, "sweep.tune.seed", $"{seed} is one of the sweep's seeds ({string.Join(", ", seeds)}); tuning runs at a seed of its own, so the reported seeds are fresh draws");
        }
        var samplerSeed = map["sampler_seed"] is { } ss ? Whole(ss, "sweep.tune.sampler_seed", problems) : null;
        var stopping = ParseStopping(map["stopping"], problems);
        return new TuneSpec(axes, budget, metric, seed, samplerSeed, stopping);
    }

    private static StoppingSpec ParseStopping(RawNode? node, ProblemBag problems)
    {
        switch (node)
        {
            case null:
                return StoppingSpec.Default;
            case RawScalar { IsNull: true }:
                return new StoppingSpec(StoppingRule.None);
            case RawScalar s:
                return Rule(s, problems) is { } rule ? new StoppingSpec(rule) : StoppingSpec.Default;
            case RawMapping map:
                foreach (var e in map.Entries.Where(e => !StoppingKeys.Contains(e.Key)))
                    problems.Error(e.KeyMark, $"sweep.tune.stopping.{e.Key}", $"unknown key '{e.Key}'{Suggest.DidYouMean(e.Key, StoppingKeys)}; allowed: {string.Join(", ", StoppingKeys)}");
                var name = map["name"] as RawScalar;
                var parsed = name is null ? StoppingRule.Asha : Rule(name, problems) ?? StoppingRule.Asha;
                var spec = new StoppingSpec(parsed);
                if (map["reduction_factor"] is { } rf)
                {
                    if (parsed != StoppingRule.Asha) problems.Error(rf.Mark, "sweep.tune.stopping.reduction_factor", $"reduction_factor belongs to asha (this rule is {Text(parsed)})");
                    var value = SweepParser.PositiveInt(rf, "sweep.tune.stopping.reduction_factor", problems);
                    if (value == 1) problems.Error(rf.Mark, "sweep.tune.stopping.reduction_factor", "1 would keep every trial at every rung; give 2 or more (3 keeps the best third)");
                    spec = spec with { ReductionFactor = Math.Max(2, value) };
                }
                if (map["min_epochs"] is { } me)
                {
                    if (parsed == StoppingRule.None) problems.Error(me.Mark, "sweep.tune.stopping.min_epochs", "min_epochs belongs to asha and median (none trains every setting in full)");
                    spec = spec with { MinEpochs = SweepParser.PositiveInt(me, "sweep.tune.stopping.min_epochs", problems) };
                }
                if (map["max_epochs"] is { } mx)
                {
                    if (parsed == StoppingRule.None) problems.Error(mx.Mark, "sweep.tune.stopping.max_epochs", "max_epochs belongs to asha and median (none trains every setting as the reported trials)");
                    spec = spec with { MaxEpochs = SweepParser.PositiveInt(mx, "sweep.tune.stopping.max_epochs", problems) };
                    if (spec.MinEpochs is { } min && spec.MaxEpochs is { } max && min >= max)
                        problems.Error(mx.Mark, "sweep.tune.stopping.max_epochs", $"{max} is not above min_epochs ({min}); the first rung must come before the last");
                }
                if (map["interval"] is { } iv)
                {
                    if (parsed != StoppingRule.Median) problems.Error(iv.Mark, "sweep.tune.stopping.interval", $"interval belongs to median (this rule is {Text(parsed)})");
                    spec = spec with { Interval = SweepParser.PositiveInt(iv, "sweep.tune.stopping.interval", problems) };
                }
                return spec;
            default:
                problems.Error(node.Mark, "sweep.tune.stopping", $"expected a rule name ({string.Join(", ", Rules)}) or a mapping with name and its settings, got {Binder.Describe(node)}");
                return StoppingSpec.Default;
        }
    }

    private static StoppingRule? Rule(RawScalar s, ProblemBag problems)
    {
        if (Rules.FirstOrDefault(r => string.Equals(r, s.Value, StringComparison.OrdinalIgnoreCase)) is { } hit)
            return Enum.Parse<StoppingRule>(hit, ignoreCase: true);
        problems.Error(s.Mark, "sweep.tune.stopping", $"'{s.Value}' is not allowed{Suggest.DidYouMean(s.Value, Rules)}; allowed: {string.Join(", ", Rules)} (asha: successive halving; median: Vizier's median rule; none: every setting in full)");
        return null;
    }

    public static string Text(StoppingRule rule) => rule.ToString().ToLowerInvariant();

    private static long? Whole(RawNode node, string path, ProblemBag problems)
    {
        if (node is RawScalar { Quoted: false } s && long.TryParse(s.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var v) && v <= int.MaxValue) return v;
        problems.Error(node.Mark, path, $"expected a whole number >= 0, got {Binder.Describe(node)}");
        return null;
    }
}
