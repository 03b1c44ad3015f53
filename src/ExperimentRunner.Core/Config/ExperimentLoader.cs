using System.Globalization;
using ExperimentRunner.Core.Catalog;
using ExperimentRunner.Core.Config.Extends;
using ExperimentRunner.Core.Config.Raw;
using ExperimentRunner.Core.Config.Rules;
using ExperimentRunner.Core.Problems;
using ExperimentRunner.Core.Sweeps;
using ExperimentRunner.Core.Tuning;

namespace ExperimentRunner.Core.Config;

/// <summary>An experiment file turned into its trials, every one validated.</summary>
public sealed record LoadedExperiment(string Source, string Name, SweepSpec? Sweep, IReadOnlyList<TrialSpec> Trials)
{
    /// <summary>The file with its bases merged in (before <c>--set</c>); null when it extends nothing.</summary>
    public RawMapping? Merged { get; init; }

    /// <summary>Files the experiment was read from: the file, then its bases in the order they apply.</summary>
    public IReadOnlyList<string> Files { get; init; } = [];

    public IReadOnlyList<string> SweptKeys => Sweep?.Keys ?? [];

    /// <summary>
    /// The per-cell tuning (<c>sweep.tune</c>); null when nothing is tuned. With tuning, <see cref="Trials"/> holds the
    /// reported trials of every setting a cell could pick; only the picked setting's ever run.
    /// </summary>
    public TuningPlan? Tuning { get; init; }

    /// <summary>A trial of this experiment by id: a reported trial, or a tuning trial.</summary>
    public TrialSpec? Find(string id) =>
        Trials.FirstOrDefault(t => t.Id == id) ?? Tuning?.Candidates.FirstOrDefault(t => t.Id == id);

    /// <summary>Warnings of all trials, each once.</summary>
    public IReadOnlyList<Problem> Warnings => Trials.SelectMany(t => t.Warnings).DistinctBy(p => p.ToString()).ToList();
}

/// <summary>
/// file -> raw tree -> bases merged in (<c>extends</c>) -> overrides -> sweep expansion -> binding -> cross-field
/// rules. Problems from every stage and every trial are collected and thrown together as one <see cref="ConfigException"/>.
/// </summary>
/// <param name="checkDataFiles">
/// false for a trial's own config.yaml read back later (predict): its data paths are relative to an experiment file
/// that may be elsewhere now, and only the model settings are needed.
/// </param>
public sealed class ExperimentLoader(Catalogs catalogs, bool checkDataFiles = true)
{
    private readonly BaseFiles _bases = new(catalogs);

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
        // Everything below sees one merged tree: --set, the sweep, binding, config.yaml and the trial ids.
        var merged = _bases.Merge(root, source, baseDirectory, problems);
        var files = merged?.Sources ?? [source];
        if (merged is null) throw new ConfigException(InFileOrder(problems.Items, files));
        root = merged.Tree;
        var mergedTree = files.Count > 1 ? root : null;
        foreach (var assignment in overrides ?? [])
        {
            if (RawPath.ParseAssignment(assignment, problems) is not { } set) continue;
            if (RawPath.Split(set.Path)[0] == BaseFiles.Key)
                problems.Error(set.Value.Mark, set.Path, "bases are merged before --set applies; write extends in the experiment file");
            else root = RawPath.Set(root, set.Path, set.Value);
        }
        var fileSeed = FileSeed(root);
        var sweep = SweepParser.Parse(root["sweep"], fileSeed, problems);
        if (problems.HasErrors)
        {
            // Still bind the rest of the file so one run shows every problem, not just the first stage's.
            var rest = new ProblemBag();
            Bind(root.Without("sweep"), baseDirectory, rest);
            throw new ConfigException(InFileOrder(problems.Items.Concat(rest.Items), files));
        }

        var drafts = SweepExpander.Expand(root.Without("sweep"), sweep, fileSeed);
        var roles = sweep?.Tune is { } tune
            ? TuningDrafts.Expand(drafts, sweep, tune, fileSeed)
            : drafts.Select(d => new RoledDraft(d, DraftRole.Trial, 0, 0)).ToList();
        var trials = new List<TrialSpec>();
        var candidates = new List<(RoledDraft Role, TrialSpec Trial)>();
        var finals = new List<(RoledDraft Role, TrialSpec Trial)>();
        var perDraft = new List<(TrialDraft Draft, IReadOnlyList<Problem> Problems)>();
        var bound = new List<(TrialDraft Draft, IReadOnlyList<SweptValue> Swept)>();
        foreach (var role in roles)
        {
            var draft = role.Draft;
            var trialProblems = new ProblemBag();
            var spec = Bind(draft.Tree, baseDirectory, trialProblems);
            if (spec is null)
            {
                perDraft.Add((draft, trialProblems.Items));
                continue;
            }
            var swept = Display(draft, spec);
            bound.Add((draft, swept));
            if (sweep is not null && IsExcluded(sweep, draft, swept)) continue;
            perDraft.Add((draft, trialProblems.Items));
            if (role.Role == DraftRole.Candidate)
            {
                candidates.Add((role, new TrialSpec(candidates.Count, TrialSpec.MakeId(spec, swept), spec, swept, trialProblems.Warnings.ToList())));
                continue;
            }
            var trial = new TrialSpec(trials.Count, TrialSpec.MakeId(spec, swept), spec, swept, trialProblems.Warnings.ToList());
            trials.Add(trial);
            finals.Add((role, trial));
        }
        if (sweep is not null && bound.Count == roles.Count) perDraft.Add((drafts[0] with { Cell = [] }, UnmatchedExclusions(sweep, bound)));
        var distinct = InFileOrder(Annotate(perDraft), files);
        if (distinct.Any(p => p.Severity == Severity.Error)) throw new ConfigException(distinct);
        if (trials.Count == 0)
            throw new ConfigException([new Problem(Severity.Error, root.Mark, "sweep.exclude", "every trial of the sweep is excluded; nothing would run")]);
        foreach (var group in new[] { trials, candidates.Select(c => c.Trial).ToList() })
        {
            var duplicate = group.GroupBy(t => t.Id).FirstOrDefault(g => g.Count() > 1);
            if (duplicate is not null)
                throw new ConfigException([new Problem(Severity.Error, root.Mark, "sweep", $"trials {string.Join(" and ", duplicate.Select(t => $"[{t.CellKey}, seed {t.Spec.Seed}]"))} resolve to the same configuration; remove the repeated value")]);
        }
        var tuning = sweep?.Tune is null ? null : TuningDrafts.Plan(sweep, candidates, finals, root, catalogs);
        return new LoadedExperiment(source, trials[0].Spec.Name, sweep, trials) { Merged = mergedTree, Files = files, Tuning = tuning };
    }

    /// <summary>
    /// Each problem once, in the order of the file (line, then column), so a reader fixes them top to bottom; problems
    /// without a line (--set, a whole file) first, then the experiment file's, then each base's in the order read.
    /// </summary>
    private static List<Problem> InFileOrder(IEnumerable<Problem> problems, IReadOnlyList<string> files)
    {
        var order = files.Select((file, i) => (file, i)).ToDictionary(x => x.file, x => x.i);
        int Rank(SourceMark mark) => mark.Line == 0 ? -1 : order.GetValueOrDefault(mark.Source, files.Count);
        return problems.DistinctBy(p => p.ToString()).OrderBy(p => Rank(p.Mark)).ThenBy(p => p.Mark.Line).ThenBy(p => p.Mark.Column).ThenBy(p => p.Severity).ToList();
    }

    private static long FileSeed(RawMapping root) =>
        root["seed"] is RawScalar s && long.TryParse(s.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var seed) ? seed : 0;

    /// <summary>
    /// Binds a trial's tree and runs the cross-field rules. A file with binding errors still gets every rule that
    /// reads only keys that bound, so one run of validate shows every problem, not one stage's.
    /// </summary>
    private ExperimentSpec? Bind(RawMapping tree, string baseDirectory, ProblemBag problems)
    {
        var binder = new Binder(catalogs, problems);
        var bound = binder.BindSection(tree, "", ExperimentSchema.Fields, "", tree.Mark, boundElsewhere: ["sweep", BaseFiles.Key]);
        var failed = binder.FailedPaths;
        var spec = ExperimentSpec.From(Resolve(bound), baseDirectory);
        var context = new RuleContext(spec, tree, catalogs, problems);
        var rules = ConfigRules.All.Where(r => checkDataFiles || r is not IChecksDataFiles);
        foreach (var rule in rules.Where(r => !r.Reads.Any(read => failed.Any(f => Overlaps(read, f)))))
            rule.Check(context);
        return problems.HasErrors ? null : spec;
    }

    /// <summary>One key path is the other or lies below it (<c>model</c> and <c>model.hidden[0]</c>).</summary>
    private static bool Overlaps(string a, string b) => Below(a, b) || Below(b, a);

    private static bool Below(string path, string parent) =>
        path == parent || path.StartsWith(parent, StringComparison.Ordinal) && path.Length > parent.Length && path[parent.Length] is '.' or '[';

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
        var data = tree.Child("dataset");
        if (data.Has("split") && data["split"] is null)
            tree = tree.With("dataset", data.With("split", DatasetCatalog.DefaultFileSplit(SeparateFiles(data)).ToList()));
        var dataset = catalogs.Datasets.Get(data.Name);
        if (tree.Strings("metrics").Count == 0 && dataset.Task is { } task)
            tree = tree.With("metrics", ExperimentSpec.From(tree, "").MetricsFor(task).ToList());
        return tree;
    }

    /// <summary>How many of validation and test a dataset reads from files of their own.</summary>
    public static int SeparateFiles(Component dataset)
    {
        bool Given(params string[] keys) => keys.Any(k => dataset.Has(k) && dataset[k] is not null);
        return (Given("validation_path", "validation_images") ? 1 : 0) + (Given("test_path", "test_images") ? 1 : 0);
    }

    private IReadOnlyList<SweptValue> Display(TrialDraft draft, ExperimentSpec spec) =>
        draft.Cell.Select(c => new SweptValue(c.Path, DisplayOf(c.Value, spec.Tree.At(c.Path)))).ToList();

    /// <summary>How a swept value is shown in summary.csv: canonical names, parameters in brackets.</summary>
    private static string DisplayOf(RawNode raw, object? bound) => (raw, bound) switch
    {
        // An empty cell, as every other missing value in the CSV files: the text "null" would make a number column mixed.
        (RawScalar { IsNull: true }, null) => "",
        (RawScalar, Component c) => c.Name,
        (RawMapping m, Component c) => $"{c.Name}({string.Join(",", m.Entries.Where(e => e.Key != c.NameKey).Select(e => $"{e.Key}={e.Value.Describe()}"))})",
        (RawScalar s, _) => s.Value,
        _ => raw.Describe(),
    };

    private bool IsExcluded(SweepSpec sweep, TrialDraft draft, IReadOnlyList<SweptValue> swept) =>
        sweep.Exclude.Any(rule => rule.All(cond => Matches(cond, draft, swept)));

    private bool Matches((string Path, RawNode Value) cond, TrialDraft draft, IReadOnlyList<SweptValue> swept) =>
        cond.Path == "seed"
            ? cond.Value is RawScalar s && s.Value == draft.Seed.ToString(CultureInfo.InvariantCulture)
            : swept.FirstOrDefault(v => v.Key == cond.Path) is { } value && Same(cond.Value, value.Display, draft.Cell.First(c => c.Path == cond.Path).Value);

    /// <summary>
    /// An exclusion value that no trial has is a typo (<c>{loss: negative_ll}</c>) that would silently exclude
    /// nothing: an error with the swept values and a did-you-mean, like any other value.
    /// </summary>
    private List<Problem> UnmatchedExclusions(SweepSpec sweep, List<(TrialDraft Draft, IReadOnlyList<SweptValue> Swept)> bound)
    {
        var problems = new List<Problem>();
        for (var i = 0; i < sweep.Exclude.Count; i++)
        {
            foreach (var cond in sweep.Exclude[i])
            {
                if (bound.Any(b => Matches(cond, b.Draft, b.Swept))) continue;
                var values = cond.Path == "seed"
                    ? bound.Select(b => b.Draft.Seed.ToString(CultureInfo.InvariantCulture)).Distinct().ToList()
                    : bound.Select(b => b.Swept.First(v => v.Key == cond.Path).Display).Distinct().ToList();
                var given = cond.Value is RawScalar s ? $"'{s.Value}'" : cond.Value.Describe();
                var hint = cond.Value is RawScalar named ? Suggest.DidYouMean(named.Value, values.Concat(AliasesOf(values))) : "";
                problems.Add(new Problem(Severity.Error, cond.Value.Mark, $"sweep.exclude[{i}].{cond.Path}",
                    $"{given} matches no trial's {cond.Path}{hint}; the sweep's values are {string.Join(", ", values)}"));
            }
        }
        return problems;
    }

    /// <summary>Aliases of the catalog names among <paramref name="values"/>, so a hint can name the spelling the user meant.</summary>
    private IEnumerable<string> AliasesOf(IEnumerable<string> values) =>
        values.SelectMany(v => Catalogs.Listable.SelectMany(kind => catalogs.TryGet(kind, v, out var entry) && entry.Name == v ? entry.Aliases : []));

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
