using System.CommandLine;
using ExperimentRunner.Cli.Completion;
using System.Text;
using System.Text.RegularExpressions;
using ExperimentRunner.Core.Config;
using ExperimentRunner.Core.Problems;
using ExperimentRunner.Core.Text;

namespace ExperimentRunner.Cli.Commands;

/// <summary>
/// <c>exprun validate FILE_OR_GLOB... [--smoke]</c>: loads every file (schema, cross-field rules, sweep
/// expansion) without touching libtorch; every problem goes to stderr, one line each.
/// </summary>
public static class ValidateCommand
{
    /// <param name="context">where output goes and which catalogs names are checked against</param>
    /// <param name="smoke">
    /// trains each trial of a valid experiment briefly, writing progress to the writer and returning an exit
    /// code; null: <see cref="SmokeRun"/> with the context's runtime (tests pass their own).
    /// </param>
    public static Command Create(CliContext context, Func<LoadedExperiment, TextWriter, int>? smoke = null)
    {
        var files = new Argument<string[]>("files")
        {
            Arity = ArgumentArity.OneOrMore,
            Description = "experiment files or glob patterns (configs/*.yaml, experiments/**/*.yaml)",
        };
        files.CompletionSources.Add(PathCompletion.Files(PathCompletion.ExperimentFiles));
        var smokeOption = new Option<bool>("--smoke")
        {
            Description = "also train every trial for one short epoch on a small subset",
        };
        var set = new Option<string[]>(Core.Export.RunArguments.SetOption)
        {
            Description = "override a key in every file, as run does: --set optimizer.lr=0.01 (repeatable; values are YAML)",
            HelpName = "key=value",
            AllowMultipleArgumentsPerToken = false,
        };
        var command = new Command("validate", "check experiment files (keys, types, ranges, cross-field rules, sweep expansion) without training");
        command.Arguments.Add(files);
        command.Options.Add(smokeOption);
        set.CompletionSources.Add(completion => new SetKeyCompletion(context.Catalogs).Complete(completion.WordToComplete));
        command.Options.Add(set);
        command.SetAction(parse => Execute(context, parse.GetValue(files) ?? [], parse.GetValue(set) ?? [], parse.GetValue(smokeOption), smoke ?? ((experiment, output) => SmokeRun.Run(context.Runtime, experiment, output))));
        return command;
    }

    private static int Execute(CliContext context, string[] patterns, string[] overrides, bool smokeRequested, Func<LoadedExperiment, TextWriter, int> smoke)
    {
        var paths = new List<string>();
        var failed = 0;
        foreach (var pattern in patterns)
        {
            if (!Glob.IsPattern(pattern))
            {
                paths.Add(pattern);
                continue;
            }
            var matches = Glob.Expand(pattern);
            if (matches.Count == 0)
            {
                context.Error.WriteLine($"{pattern}: error: no files match this pattern");
                failed++;
            }
            paths.AddRange(matches);
        }

        var loader = context.Runtime.Loader;
        var loaded = new List<LoadedExperiment>();
        foreach (var path in paths.Distinct(StringComparer.Ordinal))
        {
            try
            {
                var experiment = loader.Load(path, overrides);
                loaded.Add(experiment);
                context.Out.WriteLine($"ok {path} ({TrialCount(experiment)})");
                foreach (var warning in experiment.Warnings) context.Out.WriteLine(warning);
            }
            catch (ConfigException ex)
            {
                failed++;
                foreach (var problem in ex.Problems) context.Error.WriteLine(problem);
            }
        }

        if (loaded.Count + failed > 1 && failed > 0)
            context.Error.WriteLine($"{failed} of {Counted.Of(loaded.Count + failed, "file")} {(failed == 1 ? "has" : "have")} errors");
        if (failed > 0) return ExitCodes.UsageError;
        if (!smokeRequested) return ExitCodes.Ok;

        var result = ExitCodes.Ok;
        foreach (var experiment in loaded)
            result = Math.Max(result, smoke(experiment, context.Out));
        return result;
    }

    /// <summary>
    /// Shell-style patterns for shells (and CI steps) that pass them through unexpanded: <c>*</c> and <c>?</c>
    /// within a folder name, <c>**</c> for any number of folders. Matches keep the pattern's folder prefix.
    /// </summary>
    internal static class Glob
    {
        public static bool IsPattern(string text) => text.IndexOfAny(['*', '?']) >= 0;

        public static IReadOnlyList<string> Expand(string pattern)
        {
            var segments = pattern.Replace('\\', '/').Split('/');
            var firstWild = Array.FindIndex(segments, IsPattern);
            var prefix = segments[..firstWild];
            var rest = segments[firstWild..];
            var baseDirectory = prefix.Length switch
            {
                0 => "",
                1 when prefix[0].Length == 0 => "/",
                _ => string.Join('/', prefix),
            };
            var searchIn = baseDirectory.Length == 0 ? "." : baseDirectory;
            if (!Directory.Exists(searchIn)) return [];

            var regex = new Regex(ToRegex(rest), RegexOptions.CultureInvariant);
            var recursive = rest.Length > 1 || rest.Contains("**");
            var options = new EnumerationOptions { RecurseSubdirectories = recursive, IgnoreInaccessible = true };
            return Directory.EnumerateFiles(searchIn, "*", options)
                .Select(file => Path.GetRelativePath(searchIn, file).Replace('\\', '/'))
                .Where(relative => regex.IsMatch(relative))
                .Order(StringComparer.Ordinal)
                .Select(relative => baseDirectory.Length == 0 ? relative : Path.Join(baseDirectory, relative))
                .ToList();
        }

        private static string ToRegex(string[] segments)
        {
            var sb = new StringBuilder("^");
            for (var i = 0; i < segments.Length; i++)
            {
                var last = i == segments.Length - 1;
                if (segments[i] == "**")
                {
                    sb.Append(last ? ".*" : "(?:[^/]+/)*");
                    continue;
                }
                foreach (var c in segments[i])
                {
                    sb.Append(c switch
                    {
                        '*' => "[^/]*",
                        '?' => "[^/]",
                        _ => Regex.Escape(c.ToString()),
                    });
                }
                if (!last) sb.Append('/');
            }
            return sb.Append('$').ToString();
        }
    }

    /// <summary>What a file will train: its trials, or for a tuned sweep the tuning trials and then the reported ones.</summary>
    private static string TrialCount(LoadedExperiment experiment)
    {
        if (experiment.Tuning is not { } plan) return Counted.Of(experiment.Trials.Count, "trial");
        var cells = plan.Cells.Count;
        return $"{Counted.Of(cells, "cell")} x {Counted.Of(plan.Settings.Count, "setting")} tuned: {Counted.Of(cells * plan.Settings.Count, "tuning trial")}, then {Counted.Of(cells * plan.SeedsPerCell, "reported trial")}";
    }
}
