using ExperimentRunner.Core.Config;
using ExperimentRunner.Torch.Logging.TensorBoard;

namespace ExperimentRunner.Torch.Logging;

/// <summary>A trial's swept values as TensorBoard hparams, and the session group its seeds share.</summary>
internal static class TrialHParams
{
    /// <summary>
    /// One hparam per swept key, named by its dotted path as in summary.csv. Numbers and booleans keep their type (so
    /// TensorBoard can plot and filter a learning rate as a number), taken from the bound value, which has the same
    /// type in every trial, or null where a key is unset (<c>bias_init: [null, -3.0]</c>); anything else is the text
    /// summary.csv shows (<c>huber(delta=0.5)</c>). The seed is not an hparam: the seeds of a cell are repetitions,
    /// grouped into one row instead.
    /// </summary>
    public static IReadOnlyList<HParam> Of(TrialSpec trial) =>
        trial.Swept.Select(s => trial.Spec.Tree.At(s.Key) switch
        {
            null => HParam.Unset(s.Key),
            bool b => HParam.Flag(s.Key, b),
            long l => HParam.Number(s.Key, l),
            int i => HParam.Number(s.Key, i),
            double d => HParam.Number(s.Key, d),
            _ => HParam.Text(s.Key, s.Display),
        }).ToList();

    /// <summary>The cell (swept values without the seed), so TensorBoard aggregates a cell's seeds; a file without a sweep is one cell.</summary>
    public static string Group(TrialSpec trial) => trial.Swept.Count > 0 ? trial.CellKey : trial.Spec.Name;
}
