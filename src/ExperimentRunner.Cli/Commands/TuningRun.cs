using System.Globalization;
using ExperimentRunner.Cli.Parallel;
using ExperimentRunner.Core.Config;
using ExperimentRunner.Core.Export;
using ExperimentRunner.Core.Results;
using ExperimentRunner.Core.Text;
using ExperimentRunner.Core.Tuning;
using ExperimentRunner.Torch.Running;

namespace ExperimentRunner.Cli.Commands;

/// <summary>
/// <c>exprun run</c> of a sweep with <c>tune</c>: rounds until every cell has chosen and its seeds have run. Each round
/// reads the tuning trials' files, lets each cell's <see cref="CellTuner"/> decide (prune, train to the next
/// checkpoint, or choose), records the decisions, and trains what was asked in one batch (in parallel across cells
/// and settings with --parallel). The files are the whole state: a run killed at any point decides the same way when
/// run again.
/// </summary>
public static class TuningRun
{
    /// <param name="workers">The worker processes of <c>--parallel</c>, kept for every round (null: one process).</param>
    public static int Execute(CliContext context, RunArguments request, LoadedExperiment experiment, ShardSpec shard, WorkerPool? workers)
    {
        var plan = experiment.Tuning!;
        // Cells, not trials, are what shards split: a cell's tuning decides its reported trials, so it stays in one process.
        var cells = plan.Cells.Where(c => shard.Contains(c.Index)).ToList();
        if (request.DryRun)
        {
            TuningPlanText.Write(context.Out, experiment, plan, cells);
            return ExitCodes.Ok;
        }
        var experimentDir = TrialPaths.ExperimentDir(request.Output, experiment.Name);
        using var folderLock = RunCommand.PrepareFolder(context, request, experiment, experimentDir, shard);
        if (folderLock is null) return ExitCodes.UsageError;
        request = request with { File = Path.GetFullPath(request.File), Output = Path.GetFullPath(request.Output) };
        experimentDir = TrialPaths.ExperimentDir(request.Output, experiment.Name);
        var tuningDir = TrialPlacement.TuningDir(experimentDir);
        var results = new LiveResults(experimentDir, experiment);
        var batch = new TrialBatch(context, request, workers);
        var attempted = new HashSet<string>(StringComparer.Ordinal);
        var failed = 0;
        string? previous = null;
        IReadOnlyList<CellRecord> records;
        for (var round = 1; ; round++)
        {
            records = cells.Select(cell => Decide(tuningDir, plan, cell)).ToList();
            TuningRecords.Write(tuningDir, plan, records);
            ExperimentResults.Write(tuningDir, experiment.SweptKeys, ExperimentResults.MetricColumns(experiment, []), ExperimentResults.Manifests(tuningDir, plan.Candidates));
            var work = records.SelectMany(r => Work(r, experimentDir, tuningDir, request.Resume, results))
                .Where(item => !attempted.Contains(item.Trial.Id)).ToList();
            if (work.Count == 0)
            {
                if (round == 1) context.Out.WriteLine($"every cell is tuned and its trials are finished in {experimentDir}; nothing to run");
                break;
            }
            var signature = string.Join(";", work.Select(w => WorkerProtocol.Order(w.Trial.Id, w.StopAfter)));
            if (signature == previous)
            {
                context.Error.WriteLine($"error: tuning made no progress in {tuningDir}: the same {Counted.Of(work.Count, "trial")} did not advance (is another exprun process training them?); stopped");
                return ExitCodes.TrialFailed;
            }
            previous = signature;
            context.Out.WriteLine(RoundLine(round, work, experimentDir));
            failed += batch.Run(work, (item, manifest) =>
            {
                if (item.ExperimentDir != experimentDir) return;
                attempted.Add(item.Trial.Id);
                results.Finished(manifest);
            });
        }
        results.WriteFromFolders();
        WriteOutcome(context.Out, plan, records, experimentDir);
        return failed > 0 ? ExitCodes.TrialFailed : ExitCodes.Ok;
    }

    /// <summary>The cell's next step from its files; prunes are recorded at once (they are decisions, not work).</summary>
    private static CellRecord Decide(string tuningDir, TuningPlan plan, TuningCell cell)
    {
        var curves = TuningFolder.Curves(tuningDir, cell, plan);
        var progress = CellTuner.Next(curves, plan.Spec.Stopping, cell.MaxEpochs);
        foreach (var (setting, epoch) in progress.Prune) TuningFolder.MarkPruned(tuningDir, cell.Candidates[setting], epoch);
        // What was just pruned counts as pruned in choices.csv; its curve up to the checkpoint is what the files now say.
        var pruned = progress.Prune.ToDictionary(p => p.Setting, p => p.Epoch);
        curves = curves.Select(c => pruned.TryGetValue(c.Setting, out var at) ? c with { Values = c.Values.Take(at).ToList(), State = CandidateState.Pruned } : c).ToList();
        return new CellRecord(cell, progress, curves);
    }

    private static IEnumerable<WorkItem> Work(CellRecord record, string experimentDir, string tuningDir, bool resume, LiveResults results)
    {
        foreach (var order in record.Progress.Train)
            yield return new WorkItem(record.Cell.Candidates[order.Setting], tuningDir, order.StopAfter, Resume: true, Tuning: true);
        if (record.Progress.Chosen is not { } chosen) yield break;
        foreach (var trial in record.Cell.Finals[chosen].Where(t => !results.IsFinished(t)))
            yield return new WorkItem(trial, experimentDir, null, resume);
    }

    private static string RoundLine(int round, IReadOnlyList<WorkItem> work, string experimentDir)
    {
        var tuning = work.Where(w => w.ExperimentDir != experimentDir).ToList();
        var parts = tuning.GroupBy(w => w.StopAfter).OrderBy(g => g.Key ?? int.MaxValue)
            .Select(g => $"{Counted.Of(g.Count(), "tuning trial")} {(g.Key is { } e ? $"to epoch {e}" : "to the end")}").ToList();
        var reported = work.Count - tuning.Count;
        if (reported > 0) parts.Add($"{Counted.Of(reported, "reported trial")} at chosen settings");
        return $"tuning round {round}: {string.Join(", ", parts)}";
    }

    private static void WriteOutcome(TextWriter output, TuningPlan plan, IReadOnlyList<CellRecord> records, string experimentDir)
    {
        var spent = records.Sum(r => r.Curves.Sum(c => (long)c.Epochs));
        var exhaustive = records.Sum(r => TuningPlan.ExhaustiveEpochs(r.Cell));
        var chosen = records.Count(r => r.Progress.Chosen is not null);
        output.WriteLine($"tuned {chosen} of {Counted.Of(records.Count, "cell")} by {plan.Spec.Metric} ({TuneParser.Text(plan.Spec.Stopping.Rule)}):");
        foreach (var r in records.Where(r => r.Progress.Chosen is not null))
        {
            var setting = string.Join(", ", plan.Settings[r.Progress.Chosen!.Value].Select(v => $"{v.Key}={v.Display}"));
            var value = r.Curves[r.Progress.Chosen.Value].BestValue(int.MaxValue).ToString("0.0000", CultureInfo.InvariantCulture);
            output.WriteLine($"  {r.Cell.Label}: {setting} ({plan.Spec.Metric} {value})");
        }
        var share = exhaustive == 0 ? 0 : 100.0 * spent / exhaustive;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"tuning spent {spent} epochs, {share:0}% of the {exhaustive} an exhaustive search takes; decisions in {Path.Combine(experimentDir, TuningPlan.FolderName, TuningRecords.DecisionsFile)}"));
    }
}
