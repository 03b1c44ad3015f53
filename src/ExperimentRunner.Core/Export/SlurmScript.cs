using System.Globalization;
using System.Text;
using ExperimentRunner.Core.Text;

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
        var experimentDir = $"{s.Run.Output.TrimEnd('/')}/{s.ExperimentName}";
        var logDir = $"{experimentDir}/slurm";
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
        var command = ShellCommand(s.TaskRun(TaskIndex).ToArguments());
        sb.Append($$"""
            #
            # {{Counted.Of(s.Trials, s.Unit)}} of '{{name}}' in {{Counted.Of(s.Tasks, "array task")}} ({{s.TrialsPerTask}} per task at most).
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
              echo "submitted array job $jid ({{Counted.Of(s.Tasks, "task")}}) and collect job $cid"
              exit 0
            fi

            export OMP_NUM_THREADS=1
            $EXPRUN {{command}}

            """);
        return sb.ToString();
    }

    /// <summary>Slurm sets it in every array task; the shell expands it in the shard word.</summary>
    private const string TaskIndex = "${SLURM_ARRAY_TASK_ID}";

    /// <summary>Every word single-quoted where needed, but the shard in double quotes: it holds <see cref="TaskIndex"/>.</summary>
    private static string ShellCommand(IReadOnlyList<string> words) =>
        string.Join(" ", words.Select((w, i) => i > 0 && words[i - 1] == RunArguments.ShardOption ? $"\"{w}\"" : Quote(w)));

    public static string Quote(string text) =>
        text.All(c => char.IsAsciiLetterOrDigit(c) || "/._-=:,+@".Contains(c)) ? text : "'" + text.Replace("'", "'\\''") + "'";
}
