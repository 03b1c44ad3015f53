namespace ExperimentRunner.Core.Tuning;

/// <summary>A candidate to train on: to <see cref="StopAfter"/> epochs (a checkpoint), or to its end when null.</summary>
public sealed record TrainOrder(int Setting, int? StopAfter);

/// <summary>One rule decision, as decisions.csv records it.</summary>
/// <param name="Outcome">promoted (trains on), pruned (stopped here), finished (ended on its own before the checkpoint), chosen (the cell's pick).</param>
public sealed record TuningDecision(int Epoch, int Setting, double Value, string Outcome);

/// <summary>
/// What a cell needs next: candidates to train, candidates to record as pruned, or (when everything is in) the chosen
/// setting. <see cref="Decisions"/> holds every checkpoint decided so far.
/// </summary>
public sealed record CellProgress(IReadOnlyList<TrainOrder> Train, IReadOnlyList<(int Setting, int Epoch)> Prune, int? Chosen, IReadOnlyList<TuningDecision> Decisions);

/// <summary>
/// The tuner of one cell as a pure function of its candidates' curves: the same files always give the same next step.
/// Every checkpoint waits until all live candidates have reached it, so the decisions do not depend on how many
/// workers there are or in which order they finish, and a run killed at any point and resumed decides the same way.
/// </summary>
public static class CellTuner
{
    public static CellProgress Next(IReadOnlyList<CandidateCurve> candidates, StoppingSpec stopping, int maxEpochs)
    {
        var rule = StoppingRules.For(stopping);
        var alive = candidates.ToList();
        var prune = new List<(int, int)>();
        var decisions = new List<TuningDecision>();
        foreach (var epoch in stopping.Checkpoints(maxEpochs))
        {
            var behind = alive.Where(c => c.State == CandidateState.Open && c.Epochs < epoch).ToList();
            if (behind.Count > 0) return new CellProgress(behind.Select(c => new TrainOrder(c.Setting, epoch)).ToList(), prune, null, decisions);
            var kept = rule.Survivors(epoch, alive);
            foreach (var c in alive)
            {
                var ended = c.State is CandidateState.Finished or CandidateState.Broken;
                var outcome = kept.Contains(c.Setting) ? "promoted" : ended ? "finished" : "pruned";
                decisions.Add(new TuningDecision(epoch, c.Setting, c.BestValue(epoch), outcome));
                if (outcome == "pruned" && c.State != CandidateState.Pruned) prune.Add((c.Setting, epoch));
            }
            alive = alive.Where(c => kept.Contains(c.Setting)).ToList();
        }
        var open = alive.Where(c => c.State == CandidateState.Open).ToList();
        if (open.Count > 0) return new CellProgress(open.Select(c => new TrainOrder(c.Setting, null)).ToList(), prune, null, decisions);
        var chosen = alive.OrderBy(c => c.Score(maxEpochs)).ThenBy(c => c.Setting).First();
        decisions.Add(new TuningDecision(maxEpochs, chosen.Setting, chosen.BestValue(maxEpochs), "chosen"));
        return new CellProgress([], prune, chosen.Setting, decisions);
    }
}
