using System.Globalization;
using ExperimentRunner.Core.Catalog;
using ExperimentRunner.Core.Config.Raw;
using ExperimentRunner.Core.Config.Rules;
using ExperimentRunner.Core.Problems;
using ExperimentRunner.Core.Sweeps;

namespace ExperimentRunner.Core.Config;

/// <summary>An experiment file turned into its trials, every one validated.</summary>
public sealed record LoadedExperiment(string Source, string Name, SweepSpec? Sweep, IReadOnlyList<TrialSpec> Trials)
{
    public IReadOnlyList<string> SweptKeys => Sweep?.Keys ?? [];

    /// <summary>Warnings of all trials, each once.</summary>
    public IReadOnlyList<Problem> Warnings => Trials.SelectMany(t => t.Warnings).DistinctBy(p => p.ToString()).ToList();
}

/// <summary>
/// file -> raw tree -> overrides -> sweep expansion -> binding -> cross-field rules. Problems from every
/// stage and every trial are collected and thrown together as one <see cref="ConfigException"/>.
/// </summary>
public sealed class ExperimentLoader(Catalogs catalogs)
{
    public static ExperimentLoader Default { get; } = new(Catalogs.Default);

    public LoadedExperiment Load(string path, IReadOnlyList<string>? overrides = null)
    {
        if (Directory.Exists(path))
            throw Fail(path, "is a folder; give an experiment file (.yaml, .yml or .json)");
        if (!File.Exists(path))
            throw Fail(path, "file not found");
        var ext = Path.GetExtension(path).ToLowerInvariant();
        if (ext is not (".yaml" or ".yml" or ".json"))
            throw Fail(path, $"unsupported extension '{ext}'; experiment files end in .yaml, .yml or .json");
        var readProblems = new ProblemBag();
        var text = ExperimentFile.ReadText(path, readProblems) ?? throw new ConfigException(readProblems.Items);
        var full = Path.GetFullPath(path);
        return LoadText(text, path, Path.GetDirectoryName(full)!, overrides);
    }

    private static ConfigException Fail(string path, string message) =>
        new([new Problem(Severity.Error, new SourceMark(path), "", message)]);

    public LoadedExperiment LoadText(string text, string source, string baseDirectory, IReadOnlyList<string>? overrides = null)
    {
        var problems = new ProblemBag();
        var raw = RawTreeReader.Read(text, source, problems);
        if (raw is null) throw new ConfigException(problems.Items);
        if (raw is not RawMapping root)
        {
            problems.Error(raw.Mark, "", $"an experiment file is a mapping of keys (name, dataset, model, loss, ...), got {Binder.Describe(raw)}");
            throw new ConfigException(problems.Items);
        }
        foreach (var assignment in overrides ?? [])
        {
            if (RawPath.ParseAssignment(assignment, problems) is { } set) root = RawPath.Set(root, set.Path, set.Value);
        }
        var fileSeed = FileSeed(root);
        var sweep = SweepParser.Parse(root["sweep"], fileSeed, problems);
        if (problems.HasErrors)
        {
            // Still bind the rest of the file so one run shows every problem, not just the first stage's.
            var rest = new ProblemBag();
            Bind(root.Without("sweep"), baseDirectory, rest);
            throw new ConfigException(problems.Items.Concat(rest.Items).DistinctBy(p => p.ToString()).ToList());
        }

        var drafts = SweepExpander.Expand(root.Without("sweep"), sweep, fileSeed);
        var trials = new List<TrialSpec>();
        var perDraft = new List<(TrialDraft Draft, IReadOnlyList<Problem> Problems)>();
        foreach (var draft in drafts)
        {
            var trialProblems = new ProblemBag();
            var spec = Bind(draft.Tree, baseDirectory, trialProblems);
            if (spec is null)
            {
                perDraft.Add((draft, trialProblems.Items));
                continue;
            }
            var swept = Display(draft, spec);
            if (sweep is not null && IsExcluded(sweep, draft, swept)) continue;
            perDraft.Add((draft, trialProblems.Items));
            trials.Add(new TrialSpec(trials.Count, TrialSpec.MakeId(spec, swept), spec, swept, trialProblems.Warnings.ToList()));
        }
        var distinct = Annotate(perDraft).DistinctBy(p => p.ToString()).ToList();
        if (distinct.Any(p => p.Severity == Severity.Error)) throw new ConfigException(distinct);
        if (trials.Count == 0)
            throw new ConfigException([new Problem(Severity.Error, root.Mark, "sweep.exclude", "every trial of the sweep is excluded; nothing would run")]);
        var duplicate = trials.GroupBy(t => t.Id).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
            throw new ConfigException([new Problem(Severity.Error, root.Mark, "sweep", $"trials {string.Join(" and ", duplicate.Select(t => $"[{t.CellKey}, seed {t.Spec.Seed}]"))} resolve to the same configuration; remove the repeated value")]);
        return new LoadedExperiment(source, trials[0].Spec.Name, sweep, trials);
    }

    private static long FileSeed(RawMapping root) =>
        root["seed"] is RawScalar s && long.TryParse(s.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var seed) ? seed : 0;

    private ExperimentSpec? Bind(RawMapping tree, string baseDirectory, ProblemBag problems)
    {
        var binder = new Binder(catalogs, problems);
        var bound = binder.BindSection(tree, "", ExperimentSchema.Fields, "", tree.Mark);
        if (problems.HasErrors) return null;
        var spec = ExperimentSpec.From(Resolve(bound), baseDirectory);
        var context = new RuleContext(spec, tree, catalogs, problems);
        foreach (var rule in ConfigRules.All) rule.Check(context);
        return problems.HasErrors ? null : spec;
    }

    /// <summary>Writes out what "auto" and "default" mean for this trial, so config.yaml shows what ran.</summary>
    private Component Resolve(Component tree)
    {
        var loss = catalogs.Losses.Get(tree.Child("loss").Name);
        var model = tree.Child("model");
        if (model.Has("output_activation") && model.Child("output_activation").Name == ActivationCatalog.Auto)
        {
            model = model.With("output_activation", new Component(loss.AutoOutput, [], "name"));
            tree = tree.With("model", model);
        }
        var dataset = catalogs.Datasets.Get(tree.Child("dataset").Name);
        if (tree.Strings("metrics").Count == 0 && dataset.Task is { } task)
            tree = tree.With("metrics", ExperimentSpec.From(tree, "").MetricsFor(task).ToList());
        return tree;
    }

    private IReadOnlyList<SweptValue> Display(TrialDraft draft, ExperimentSpec spec) =>
        draft.Cell.Select(c => new SweptValue(c.Path, DisplayOf(c.Value, spec.Tree.At(c.Path)))).ToList();

    /// <summary>How a swept value is shown in summary.csv: canonical names, parameters in brackets.</summary>
    private static string DisplayOf(RawNode raw, object? bound) => (raw, bound) switch
    {
        (RawScalar, Component c) => c.Name,
        (RawMapping m, Component c) => $"{c.Name}({string.Join(",", m.Entries.Where(e => e.Key != c.NameKey).Select(e => $"{e.Key}={e.Value.Describe()}"))})",
        (RawScalar s, _) => s.Value,
        _ => raw.Describe(),
    };

    private bool IsExcluded(SweepSpec sweep, TrialDraft draft, IReadOnlyList<SweptValue> swept) =>
        sweep.Exclude.Any(rule => rule.All(cond =>
            cond.Path == "seed"
                ? cond.Value is RawScalar s && s.Value == draft.Seed.ToString(CultureInfo.InvariantCulture)
                : swept.FirstOrDefault(v => v.Key == cond.Path) is { } value && Same(cond.Value, value.Display, draft.Cell.First(c => c.Path == cond.Path).Value)));

    private bool Same(RawNode wanted, string display, RawNode given)
    {
        if (wanted is not RawScalar w) return wanted.Describe() == given.Describe();
        if (string.Equals(w.Value, display, StringComparison.OrdinalIgnoreCase)) return true;
        if (given is RawScalar g && string.Equals(w.Value, g.Value, StringComparison.OrdinalIgnoreCase)) return true;
        if (double.TryParse(w.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var a) && double.TryParse(display, NumberStyles.Float, CultureInfo.InvariantCulture, out var b)) return a == b;
        // An alias in the exclusion (ce) matches the canonical name in the trial (cross_entropy).
        return Catalogs.Listable.Any(kind => catalogs.TryGet(kind, w.Value, out var entry) && string.Equals(entry.Name, display, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>A problem found in only some trials names the trial's swept values; one found in all is shown once, plain.</summary>
    private static IEnumerable<Problem> Annotate(List<(TrialDraft Draft, IReadOnlyList<Problem> Problems)> perDraft)
    {
        var counts = perDraft.SelectMany(d => d.Problems.Select(p => p.ToString()).Distinct()).GroupBy(x => x).ToDictionary(g => g.Key, g => g.Count());
        foreach (var (draft, problems) in perDraft)
        {
            var cell = string.Join(", ", draft.Cell.Select(c => $"{c.Path}={c.Value.Describe()}"));
            foreach (var p in problems)
                yield return counts[p.ToString()] < perDraft.Count && cell.Length > 0 ? p with { Message = $"{p.Message} [in trial {cell}]" } : p;
        }
    }
}
