using ExperimentRunner.Cli;
using ExperimentRunner.Core.Catalog;
using ExperimentRunner.Core.Config;
using ExperimentRunner.Core.Problems;

namespace ExperimentRunner.Tests.Config;

/// <summary>
/// Every file under Broken/ is wrong in exactly one way. Each must fail to load with one error that says what
/// is wrong (and where, when a line is known), and `exprun validate` must refuse it with exit code 2.
/// </summary>
public sealed class BrokenFilesTests
{
    private static readonly string Folder = Path.Combine(AppContext.BaseDirectory, "Broken");

    /// <param name="File">file name under Broken/</param>
    /// <param name="Line">line the error points at; 0 when the file has no line to point at (empty file)</param>
    /// <param name="Messages">exact substrings of the error line</param>
    private sealed record Case(string File, int Line, params string[] Messages);

    private static readonly Case[] Table =
    [
        // typos in names and keys: did you mean
        new("typo_activation.yaml", 8, "model.activation: unknown activation 'rleu' (did you mean 'relu'?); allowed: relu, leaky_relu"),
        new("typo_loss.yaml", 9, "loss: unknown loss 'cross_entropi' (did you mean 'cross_entropy'?)"),
        new("typo_dataset.yaml", 4, "dataset.name: unknown dataset 'spiral' (did you mean 'spirals'?)"),
        new("typo_optimizer.yaml", 10, "optimizer.name: unknown optimizer 'adma' (did you mean 'adam'?)"),
        new("typo_scheduler.yaml", 12, "scheduler.name: unknown scheduler 'cosin' (did you mean 'cosine'?)"),
        new("typo_metric.yaml", 12, "metrics[1]: unknown metric 'f1_macr' (did you mean 'f1_macro'?)"),
        new("typo_top_level_key.yaml", 11, "trainig: unknown key 'trainig' (did you mean 'training'?); allowed: name, seed, dataset"),
        new("typo_nested_key.yaml", 10, "optimizer.lrr: unknown key 'lrr' (did you mean 'lr'?); 'adam' allowed: lr, betas"),
        new("typo_model_key.yaml", 7, "model.hiden: unknown key 'hiden' (did you mean 'hidden'?)"),
        new("json_typo_activation.json", 5, "model.activation: unknown activation 'sigmiod' (did you mean 'sigmoid'?)"),
        // wrong types
        new("type_string_for_number.yaml", 10, "optimizer.lr: expected a number (> 0 and <= 100), got 'fast'"),
        new("type_list_for_scalar.yaml", 11, "training.epochs: expected an integer (>= 1 and <= 1000000), got a list [2, 4]"),
        new("type_mapping_for_list.yaml", 7, "model.hidden: expected a list of integers like [64, 64], got a mapping {first: 8}"),
        new("type_quoted_number.yaml", 11, "training.batch_size: expected an integer (>= 1), got text \"32\""),
        new("type_bool_as_word.yaml", 12, "diagnostics.layer_stats: expected true or false, got 'yes'"),
        // out of range
        new("range_negative_lr.yaml", 10, "optimizer.lr: -0.01 is out of range; allowed: > 0 and <= 100"),
        new("range_dropout_one.yaml", 9, "model.dropout: 1.0 is out of range; allowed: >= 0 and < 1"),
        new("range_epochs_zero.yaml", 11, "training.epochs: 0 is out of range; allowed: >= 1 and <= 1000000"),
        new("range_split_sum.yaml", 4, "dataset.split: train, validation and test fractions must add up to 1, got 0.7 + 0.2 + 0.2 = 1.1"),
        new("range_split_two_items.yaml", 4, "dataset.split: expected exactly 3 items, got 2: [0.8, 0.2]"),
        // impossible pairs (cross-field rules)
        new("pair_nll_softmax.yaml", 9, "model.output_activation: 'nll' expects log-probabilities but 'softmax' produces probabilities; use log_softmax (or auto)"),
        new("pair_bce_identity.yaml", 9, "model.output_activation: 'bce' expects probabilities in [0, 1] but 'identity' produces unbounded values"),
        new("pair_ce_regression.yaml", 9, "loss: 'cross_entropy' needs class labels but dataset 'sine' is a regression task"),
        new("pair_accuracy_regression.yaml", 12, "metrics[0]: 'accuracy' is a classification metric but dataset 'sine' is a regression task; use mae, rmse, r2"),
        new("pair_class_weights_length.yaml", 9, "loss.weight: has 2 weights but dataset 'spirals' has 3 classes; give one weight per class"),
        new("pair_nesterov_no_momentum.yaml", 10, "optimizer.nesterov: Nesterov momentum needs momentum > 0 and dampening 0"),
        new("pair_milestones_not_increasing.yaml", 12, "scheduler.milestones: milestones must increase, got [20, 10]"),
        new("pair_hardtanh_bounds.yaml", 8, "model.activation.min_val: min_val (1) must be below max_val (-1)"),
        // malformed text
        new("yaml_bad_indentation.yaml", 8, "malformed YAML: While parsing a block mapping, did not find expected key"),
        new("yaml_unclosed_bracket.yaml", 7, "malformed YAML: the file ends inside an unclosed '[', '{' or quote"),
        new("yaml_tab.yaml", 6, "malformed YAML:", "tab character"),
        new("json_trailing_comma.json", 8, "malformed JSON: trailing comma: JSON allows no comma after the last entry of a mapping; remove it"),
        new("json_missing_quote.json", 6, "malformed JSON: this string is not closed on its line: add the closing '\"' (a line break inside a string is written \\n)"),
        new("json_comments.json", 4, "malformed JSON: comments are not allowed in JSON ('//' starts one here); remove it, or write the experiment as .yaml, where '#' starts a comment"),
        // documents that are not experiments
        new("empty.yaml", 0, "the file is empty; an experiment file is a mapping with at least name, dataset, model and loss"),
        new("only_comment.yaml", 0, "the file is empty"),
        new("list_document.yaml", 2, "an experiment file is a mapping of keys (name, dataset, model, loss, ...), got a list"),
        new("scalar_document.yaml", 2, "an experiment file is a mapping of keys (name, dataset, model, loss, ...), got 'quickstart'"),
        new("duplicate_key.yaml", 12, "loss: duplicate key 'loss' (first at line 9); each key may appear once"),
        new("duplicate_key.json", 4, "seed: duplicate key 'seed' (first at line 3)"),
        // structure
        new("unknown_top_level_key.yaml", 12, "learning_rate: unknown key 'learning_rate'; allowed: name, seed, dataset, model, loss"),
        new("missing_name.yaml", 2, "name: required key 'name' is missing"),
        new("missing_loss.yaml", 2, "loss: required key 'loss' is missing (what training minimizes)"),
        new("missing_dataset.yaml", 2, "dataset: required key 'dataset' is missing"),
        new("missing_model.yaml", 2, "model: required key 'model' is missing"),
        new("missing_component_name.yaml", 9, "loss.name: missing 'name': say which loss to use"),
        new("bad_name_space.yaml", 2, "name: 'broken example' is not allowed: folder name under the output directory"),
        new("bad_name_slash.yaml", 2, "name: 'runs/broken' is not allowed"),
        // sweeps
        new("sweep_unknown_method.yaml", 13, "sweep.method: 'grdi' is not allowed (did you mean 'grid'?); allowed: grid, zip, random"),
        new("sweep_zip_unequal.yaml", 15, "sweep.parameters: method: zip walks the lists together, so they need equal lengths; got loss: 3, optimizer.lr: 2"),
        new("sweep_random_no_samples.yaml", 13, "sweep.samples: method: random needs samples: N"),
        new("sweep_distribution_in_grid.yaml", 15, "sweep.parameters.optimizer.lr: distributions need method: random"),
        new("sweep_exclude_unswept.yaml", 17, "sweep.exclude.model.activaton: 'model.activaton' is not swept (did you mean 'model.activation'?)"),
        new("sweep_seeds_text.yaml", 15, "sweep.seeds: expected a list of seeds like [1, 2, 3] or a count from 1 to 10000, got 'three'"),
        new("sweep_unknown_key.yaml", 15, "sweep.seed: unknown key 'seed' (did you mean 'seeds'?)"),
        new("sweep_value_typo.yaml", 14, "model.activation: unknown activation 'tahn' (did you mean 'tanh'?)", "[in trial model.activation=tahn]"),
        new("sweep_duplicate_trials.yaml", 2, "sweep: trials", "resolve to the same configuration; remove the repeated value"),
    ];

    public static TheoryData<string> Files => new(Table.Select(c => c.File));

    private static Case CaseFor(string file) => Table.Single(c => c.File == file);

    [Theory]
    [MemberData(nameof(Files))]
    public void Loader_reports_exactly_the_one_error_with_its_line(string file)
    {
        var expected = CaseFor(file);
        var path = Path.Combine(Folder, file);

        var ex = Assert.Throws<ConfigException>(() => TestRuntime.Instance.Loader.Load(path));

        var error = Assert.Single(ex.Problems, p => p.Severity == Severity.Error);
        var text = error.ToString();
        foreach (var message in expected.Messages) Assert.Contains(message, text);
        Assert.Equal(path, error.Mark.Source);
        Assert.Equal(expected.Line, error.Mark.Line);
        Assert.StartsWith(expected.Line > 0 ? $"{path}:{expected.Line}:" : $"{path}: error: ", text);
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void Validate_refuses_the_file_on_stderr_and_says_nothing_ok(string file)
    {
        var expected = CaseFor(file);
        var path = Path.Combine(Folder, file);
        var (code, stdout, stderr) = Cli("validate", path);

        Assert.Equal(ExitCodes.UsageError, code);
        var lines = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var line = Assert.Single(lines, l => expected.Messages.All(l.Contains));
        Assert.StartsWith(path, line);
        Assert.DoesNotContain("ok", stdout);
    }

    [Fact]
    public void Every_broken_file_is_in_the_table_and_every_entry_has_a_file()
    {
        var onDisk = Directory.EnumerateFiles(Folder).Select(f => Path.GetFileName(f)).Order(StringComparer.Ordinal).ToList();
        var inTable = Table.Select(c => c.File).Order(StringComparer.Ordinal).ToList();

        Assert.Equal(inTable.Count, inTable.Distinct().Count());
        Assert.Equal(inTable, onDisk);
        Assert.True(onDisk.Count >= 35, $"only {onDisk.Count} broken files");
    }

    [Fact]
    public void Validate_of_all_broken_files_at_once_reports_each_and_exits_2()
    {
        var (code, stdout, stderr) = Cli("validate", Path.Combine(Folder, "*.yaml"), Path.Combine(Folder, "**", "*.json"));

        Assert.Equal(ExitCodes.UsageError, code);
        Assert.Equal("", stdout);
        foreach (var c in Table) Assert.Contains(Path.Combine(Folder, c.File), stderr);
        Assert.Contains($"{Table.Length} of {Table.Length} files have errors", stderr);
    }

    private static (int Code, string Stdout, string Stderr) Cli(params string[] args)
    {
        var stdout = new StringWriter { NewLine = "\n" };
        var stderr = new StringWriter { NewLine = "\n" };
        var context = new CliContext(stdout, stderr, TimeProvider.System, TestRuntime.Instance);
        var code = ExprunCli.Run(args, context);
        return (code, stdout.ToString(), stderr.ToString());
    }
}
