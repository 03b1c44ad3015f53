using System.Globalization;
using System.Text;

namespace ExperimentRunner.Core.Export;

/// <summary>
/// An sbatch job-array script: array task I runs <c>exprun run FILE --shard I/N --resume</c>, so re-submitting
/// after a failure only redoes unfinished trials. Run with <c>bash</c> instead of <c>sbatch</c>, it submits
/// itself plus a dependent job that runs <c>exprun collect</c> once every task has ended.
/// </summary>
public static class SlurmScript
{
    public static string Write(ExportSettings s)
    {
        var inv = CultureInfo.InvariantCulture;
        var experimentDir = $"{s.OutputDir.TrimEnd('/')}/{s.ExperimentName}";
        var logDir = $"{experimentDir}/slurm";
        var run = new List<string> { "run", Quote(s.ExperimentFile), "--output", Quote(s.OutputDir), "--shard", "\"${SLURM_ARRAY_TASK_ID}/" + s.Tasks.ToString(inv) + "\"", "--resume", "--threads", "1" };
        if (s.Parallel > 1) run.AddRange(["--parallel", s.Parallel.ToString(inv)]);
        foreach (var o in s.Overrides) run.AddRange(["--set", Quote(o)]);
        var array = $"0-{s.Tasks - 1}" + (s.MaxConcurrent > 0 ? $"%{s.MaxConcurrent}" : "");
        var sb = new StringBuilder();
        sb.Append("#!/bin/bash\n");
        sb.Append(CultureInfo.InvariantCulture, $"#SBATCH --job-name=exprun-{s.ExperimentName}\n");
        sb.Append(CultureInfo.InvariantCulture, $"#SBATCH --array={array}\n");
        sb.Append(CultureInfo.InvariantCulture, $"#SBATCH --cpus-per-task={s.CpusPerTask}\n");
        sb.Append(CultureInfo.InvariantCulture, $"#SBATCH --mem={s.Memory}\n");
        sb.Append(CultureInfo.InvariantCulture, $"#SBATCH --time={s.Time}\n");
        if (s.Partition is not null) sb.Append(CultureInfo.InvariantCulture, $"#SBATCH --partition={s.Partition}\n");
        sb.Append(CultureInfo.InvariantCulture, $"#SBATCH --output={logDir}/%A_%a.out\n");
        var exprun = s.Exprun;
        var name = s.ExperimentName;
        var quotedLogDir = Quote(logDir);
        var quotedExperimentDir = Quote(experimentDir);
        var command = string.Join(" ", run);
        sb.Append($$"""
            #
            # {{s.Trials}} trials of '{{name}}' in {{s.Tasks}} array tasks ({{s.TrialsPerTask}} per task at most).
            # Submit:   bash THIS_SCRIPT          (submits the array and a collect job that runs after it)
            #   or:     jid=$(sbatch --parsable THIS_SCRIPT)
            #           sbatch --dependency=afterany:$jid --wrap "{{exprun}} collect {{experimentDir}}"
            # Re-submitting is safe: finished trials are skipped, unfinished ones resume from their checkpoint.
            set -euo pipefail
            EXPRUN=${EXPRUN:-{{exprun}}}

            if [ -z "${SLURM_ARRAY_TASK_ID:-}" ]; then
              mkdir -p {{quotedLogDir}}
              jid=$(sbatch --parsable "$0")
              cid=$(sbatch --parsable --dependency=afterany:"$jid" --job-name=exprun-{{name}}-collect \
                --output={{logDir}}/collect_%j.out --wrap "$EXPRUN collect {{quotedExperimentDir}}")
              echo "submitted array job $jid ({{s.Tasks}} tasks) and collect job $cid"
              exit 0
            fi

            export OMP_NUM_THREADS=1
            $EXPRUN {{command}}

            """);
        return sb.ToString();
    }

    public static string Quote(string text) =>
        text.All(c => char.IsAsciiLetterOrDigit(c) || "/._-=:,+@".Contains(c)) ? text : "'" + text.Replace("'", "'\\''") + "'";
}
