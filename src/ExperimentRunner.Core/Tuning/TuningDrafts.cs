using System.Globalization;
using ExperimentRunner.Core.Analysis;
using ExperimentRunner.Core.Catalog;
using ExperimentRunner.Core.Config;
using ExperimentRunner.Core.Config.Raw;
using ExperimentRunner.Core.Problems;
using ExperimentRunner.Core.Sweeps;

namespace ExperimentRunner.Core.Tuning;

public enum DraftRole
{
    /// <summary>A reported trial (of a plain sweep, or a tuned cell's seed at one setting).</summary>
    Trial,
    /// <summary>A tuning trial: one setting of one cell at the tuning seed.</summary>
    Candidate,
}

/// <summary>A draft with what it is for: cell and setting number, and the seed's place in the sweep's seeds (-1 for a candidate).</summary>
public sealed record RoledDraft(TrialDraft Draft, DraftRole Role, int Cell, int Setting, int SeedIndex = -1);

/// <summary>Turns a tuned sweep's cells into candidate and reported drafts, and the bound trials into a <see cref="TuningPlan"/>.</summary>
public static class TuningDrafts
{
    /// <param name="drafts">The sweep's drafts, cell by cell, each cell's seeds in order (as <see cref="SweepExpander"/> makes them).</param>
    public static List<RoledDraft> Expand(IReadOnlyList<TrialDraft> drafts, SweepSpec sweep, TuneSpec tune, long fileSeed)
    {
        var settings = TuneSettings.Draw(tune, fileSeed);
        var perCell = sweep.Seeds.Count;
        var result = new List<RoledDraft>();
        for (var cell = 0; cell * perCell < drafts.Count; cell++)
        {
            var seeds = drafts.Skip(cell * perCell).Take(perCell).ToList();
            for (var s = 0; s < settings.Count; s++)
            {
                var first = seeds[0];
                var candidate = Apply(first.Tree, settings[s]);
                candidate = RawPath.Set(candidate, "seed", Scalar(tune.Seed, candidate["seed"]?.Mark ?? candidate.Mark));
                if (tune.Stopping.MaxEpochs is { } max) candidate = RawPath.Set(candidate, "training.epochs", Scalar(max, candidate.Mark));
                result.Add(new RoledDraft(new TrialDraft(candidate, [.. first.Cell, .. settings[s]], tune.Seed), DraftRole.Candidate, cell, s));
                for (var k = 0; k < seeds.Count; k++)
                    result.Add(new RoledDraft(seeds[k] with { Tree = Apply(seeds[k].Tree, settings[s]), Cell = [.. seeds[k].Cell, .. settings[s]] }, DraftRole.Trial, cell, s, k));
            }
        }
        return result;
    }

    private static RawMapping Apply(RawMapping tree, IReadOnlyList<(string Path, RawNode Value)> setting)
    {
        foreach (var (path, value) in setting) tree = RawPath.Set(tree, path, value);
        return tree;
    }

    private static RawScalar Scalar(long value, SourceMark mark) => new(value.ToString(CultureInfo.InvariantCulture), false, mark);

    /// <summary>Groups the bound trials by cell; checks what needs them bound (the metric exists, a checkpoint comes before the end).</summary>
    public static TuningPlan Plan(SweepSpec sweep, IReadOnlyList<(RoledDraft Role, TrialSpec Trial)> candidates,
        IReadOnlyList<(RoledDraft Role, TrialSpec Trial)> finals, RawMapping root, Catalogs catalogs)
    {
        var tune = sweep.Tune!;
        var cells = new List<TuningCell>();
        foreach (var group in candidates.GroupBy(c => c.Role.Cell).OrderBy(g => g.Key))
        {
            var tried = group.OrderBy(c => c.Role.Setting).ToList();
            var reported = tried.Select(c => (IReadOnlyList<TrialSpec>)finals
                .Where(f => f.Role.Cell == group.Key && f.Role.Setting == c.Role.Setting)
                .OrderBy(f => f.Role.SeedIndex).Select(f => f.Trial).ToList()).ToList();
            var values = tried[0].Trial.Swept.Where(v => sweep.CellKeys.Contains(v.Key)).ToList();
            cells.Add(new TuningCell(cells.Count, values, tried.Select(c => c.Trial).ToList(), reported));
        }
        var settings = cells[0].Candidates.Select(c => (IReadOnlyList<SweptValue>)c.Swept.Where(v => tune.Keys.Contains(v.Key)).ToList()).ToList();
        var problems = new ProblemBag();
        Check(tune, cells, root, problems);
        if (problems.HasErrors) throw new ConfigException(problems.Items);
        var higher = MetricDirections.Of(tune.Metric, catalogs) == MetricDirection.HigherIsBetter;
        return new TuningPlan(tune, settings, cells) { HigherIsBetter = higher };
    }

    private static void Check(TuneSpec tune, IReadOnlyList<TuningCell> cells, RawMapping root, ProblemBag problems)
    {
        SourceMark Mark(string path) => RawPath.Get(root, path)?.Mark ?? RawPath.Get(root, "sweep.tune")?.Mark ?? root.Mark;
        var metrics = cells.SelectMany(c => c.Candidates).Select(t => t.Spec.Metrics).First();
        var allowed = new[] { "val_loss" }.Concat(metrics.Select(m => $"val_{m}")).ToList();
        if (!allowed.Contains(tune.Metric))
            problems.Error(Mark("sweep.tune.metric"), "sweep.tune.metric", $"'{tune.Metric}' is not recorded by these trials{Suggest.DidYouMean(tune.Metric, allowed)}; allowed: {string.Join(", ", allowed)}");
        if (tune.Stopping.Rule == StoppingRule.None) return;
        var shortest = cells.Min(c => c.MaxEpochs);
        var first = tune.Stopping.MinEpochs ?? tune.Stopping.DefaultMinEpochs(shortest);
        if (first >= shortest)
        {
            var where = tune.Stopping.MinEpochs is null ? "sweep.tune.stopping" : "sweep.tune.stopping.min_epochs";
            problems.Error(Mark(where), where, $"the first checkpoint (min_epochs {first}) is not before the tuning trials' last epoch ({shortest}), so nothing could be stopped early; give a smaller min_epochs, more epochs, or stopping: none");
        }
    }
}
