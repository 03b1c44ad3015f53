using ExperimentRunner.Core.Config.Settings;
using ExperimentRunner.Core.Config;
using ExperimentRunner.Core.Problems;
using ExperimentRunner.Tests.TestSupport;

namespace ExperimentRunner.Tests.Data;

/// <summary>What <c>exprun validate</c> knows about file datasets without reading them.</summary>
public sealed class DataConfigTests : IDisposable
{
    private readonly TempDir _temp = new();

    public void Dispose() => _temp.Dispose();

    private static string Yaml(string dataset, string loss = "cross_entropy", string extra = "") => $$"""
        name: data-config
        dataset: {{dataset}}
        model: {architecture: mlp, hidden: [8]}
        loss: {{loss}}
        {{extra}}
        """;

    private IReadOnlyList<Problem> Problems(string dataset, string loss = "cross_entropy", string extra = "") =>
        Experiments.Problems(Yaml(dataset, loss, extra), _temp.Path);

    private static Problem Only(IReadOnlyList<Problem> problems) => Assert.Single(problems, p => p.Severity == Severity.Error);

    [Fact]
    public void A_missing_csv_file_is_a_config_error_naming_where_it_was_looked_for()
    {
        var p = Only(Problems("{name: csv, path: data/nope.csv, target: -1}"));

        Assert.Equal("dataset.path", p.Path);
        Assert.Equal($"file not found: {_temp.Combine("data", "nope.csv")} (relative paths start at the experiment file's folder, {_temp.Path})", p.Message);
        Assert.Equal(2, p.Mark.Line);
    }

    [Fact]
    public void A_folder_given_as_the_csv_file_is_a_config_error()
    {
        Directory.CreateDirectory(_temp.Combine("data"));
        var p = Only(Problems("{name: csv, path: data, target: -1}"));

        Assert.Equal($"'data' is a folder, not a file: {_temp.Combine("data")}", p.Message);
    }

    [Fact]
    public void Idx_image_and_label_files_must_exist()
    {
        _temp.Write("images", "x");
        var p = Only(Problems("{name: idx, images: images, labels: labels.gz}"));

        Assert.Equal("dataset.labels", p.Path);
        Assert.StartsWith($"file not found: {_temp.Combine("labels.gz")}", p.Message);
    }

    [Fact]
    public void The_target_is_required()
    {
        _temp.Write("t.csv", "1,2\n");
        var p = Only(Problems("{name: csv, path: t.csv}"));

        Assert.Equal("dataset.target", p.Path);
        Assert.StartsWith("required key 'target' is missing (target column: its header name, or its index from 0", p.Message);
    }

    [Fact]
    public void Validation_does_not_read_the_file()
    {
        // Bad data is found when a trial loads it (and the trial is recorded as failed), not by validate.
        _temp.Write("t.csv", "not,a,\"table");
        var trial = Experiments.Single(Yaml("{name: csv, path: t.csv, target: -1}"), _temp.Path);

        Assert.Equal(_temp.Path, trial.Spec.BaseDirectory);
        Assert.Equal(["accuracy", "f1_macro"], trial.Spec.MetricsFor(ExperimentRunner.Core.Catalog.TaskKind.Classification));
    }

    [Fact]
    public void Relative_paths_start_at_the_experiment_files_folder_not_the_working_directory()
    {
        _temp.Write("data/t.csv", "1,0\n2,1\n");
        var file = _temp.Write("experiments/deep/e.yaml", Yaml("{name: csv, path: ../../data/t.csv, target: -1}"));

        var loaded = TestRuntime.Instance.Loader.Load(file);

        Assert.Equal(_temp.Combine("experiments", "deep"), loaded.Trials[0].Spec.BaseDirectory);
    }

    [Fact]
    public void Column_names_need_a_header()
    {
        _temp.Write("t.csv", "1,2\n");
        var problems = Problems("{name: csv, path: t.csv, target: label, header: false, features: [0, size]}").Where(p => p.Severity == Severity.Error).ToList();

        Assert.Equal(["dataset.target", "dataset.features[1]"], problems.Select(p => p.Path));
        Assert.Equal("'label' is a column name but header is false; refer to columns by index (0 is the first, -1 the last)", problems[0].Message);
        Assert.Equal("'size' is a column name but header is false; refer to columns by index (0 is the first, -1 the last)", problems[1].Message);
    }

    [Fact]
    public void Target_features_and_categorical_must_agree()
    {
        _temp.Write("t.csv", "a,b,y\n1,2,0\n");

        var target = Only(Problems("{name: csv, path: t.csv, target: y, features: [a, y]}"));
        Assert.Equal(("dataset.features", "lists the target column 'y'; the target cannot also be an input"), (target.Path, target.Message));

        var outside = Only(Problems("{name: csv, path: t.csv, target: y, features: [a], categorical: [b]}"));
        Assert.Equal(("dataset.categorical[0]", "'b' is not among the features [a]; add it there or remove it here"), (outside.Path, outside.Message));

        var categoricalTarget = Only(Problems("{name: csv, path: t.csv, target: y, categorical: [y]}"));
        Assert.Equal("dataset.categorical", categoricalTarget.Path);
    }

    [Fact]
    public void A_declared_regression_task_checks_the_loss_and_metrics_as_synthetic_sets_do()
    {
        _temp.Write("t.csv", "1,2.5\n");
        var problems = Problems("{name: csv, path: t.csv, target: -1, task: regression}", "cross_entropy", "metrics: [mae, accuracy]").ToList();

        Assert.Equal(2, problems.Count);
        Assert.Equal(("loss", "'cross_entropy' needs class labels but dataset 'csv' is a regression task; use mse, l1, smooth_l1, huber, log_cosh or poisson_nll"), (problems[0].Path, problems[0].Message));
        Assert.Equal("metrics[1]", problems[1].Path);
        Assert.StartsWith("'accuracy' is a classification metric but dataset 'csv' is a regression task; use mae", problems[1].Message);
    }

    [Fact]
    public void A_task_rule_gives_the_same_words_at_validate_and_once_the_data_is_read()
    {
        _temp.Write("t.csv", "1,2.5\n2,3.5\n");
        var atValidate = Problems("{name: csv, path: t.csv, target: -1, task: regression}", "cross_entropy", "metrics: [accuracy]")
            .Select(p => $"{p.Path}: {p.Message}").ToList();
        // The same settings reaching the data check (as a file whose task validate could not know would): one rule set, one wording.
        var passed = Experiments.Single(Yaml("{name: csv, path: t.csv, target: -1, task: regression}", "mse", "metrics: [mae]"), _temp.Path).Spec;
        var spec = passed with { Loss = new LossSettings("cross_entropy") { LabelSmoothing = 0 }, Metrics = ["accuracy"] };
        var data = ExperimentRunner.Core.Data.CsvDataset.Instance.Load(spec.Dataset, spec.Seed, spec.BaseDirectory);
        var afterReading = Assert.Throws<ConfigException>(() => ExperimentRunner.Core.Data.DataChecks.MatchSpec(spec, data, ExperimentRunner.Core.Catalog.Catalogs.Default))
            .Problems.Select(p => $"{p.Path}: {p.Message}").ToList();

        Assert.Equal(2, atValidate.Count);
        Assert.Equal(atValidate, afterReading);
        Assert.Equal("loss: 'cross_entropy' needs class labels but dataset 'csv' is a regression task; use mse, l1, smooth_l1, huber, log_cosh or poisson_nll", atValidate[0]);
    }

    [Fact]
    public void With_task_auto_the_loss_is_checked_once_the_data_is_read()
    {
        _temp.Write("t.csv", "1,2.5\n");
        Assert.Single(Experiments.Load(Yaml("{name: csv, path: t.csv, target: -1}", "nll"), _temp.Path).Trials);
    }

    [Fact]
    public void Class_weights_are_checked_against_the_classes_found_in_the_files()
    {
        _temp.Write("images", "x");
        _temp.Write("labels", "x");
        var trial = Experiments.Single(Yaml("{name: idx, images: images, labels: labels}", "{name: cross_entropy, weight: [1.0, 2.0, 3.0]}"), _temp.Path);
        var data = new ExperimentRunner.Core.Data.DataSet
        {
            Features = new float[] { 0f, 1f },
            Rows = 2,
            Shape = [1],
            Task = ExperimentRunner.Core.Catalog.TaskKind.Classification,
            Classes = 2,
            Labels = [0, 1],
            ClassNames = ["0", "1"],
        };

        var ex = Assert.Throws<ConfigException>(() => ExperimentRunner.Core.Data.DataChecks.MatchSpec(trial.Spec, data, ExperimentRunner.Core.Catalog.Catalogs.Default));

        Assert.Equal("error: loss.weight: has 3 weights but dataset 'idx' has 2 classes; give one weight per class", ex.Message);
    }

    [Fact]
    public void Every_uci_table_in_the_repository_has_a_config_whose_path_reaches_it()
    {
        var tables = Directory.GetFiles(Path.GetDirectoryName(UciDatasets.Path("iris.csv"))!, "*.csv").Select(Path.GetFileNameWithoutExtension).Order().ToList();
        Assert.Equal(["banknote_authentication", "housing", "ionosphere", "iris", "sonar"], tables);
        foreach (var name in tables)
        {
            var trial = Assert.Single(TestRuntime.Instance.Loader.Load(UciDatasets.Config($"{name}.yaml")).Trials);
            Assert.Equal("csv", trial.Spec.Dataset.Name);
            Assert.Equal($"../data/uci/{name}.csv", trial.Spec.Dataset.Csv!.Path);
            Assert.True(File.Exists(ExperimentRunner.Core.Data.DataPaths.Resolve(trial.Spec.BaseDirectory, trial.Spec.Dataset.Csv!.Path)));
        }
    }

    [Fact]
    public void The_resolved_config_of_a_csv_trial_writes_out_and_loads_again()
    {
        _temp.Write("t.csv", "a,b,y\n1,2,0\n");
        var trial = Experiments.Single(Yaml("{name: csv, path: t.csv, target: y, features: [a, \"1\"], categorical: [a], missing: mean}"), _temp.Path);
        var yaml = ConfigWriter.ToYaml(trial.Spec.Tree);

        var again = Experiments.Single(yaml, _temp.Path);

        Assert.Equal(ConfigWriter.Hash(trial.Spec.Tree), ConfigWriter.Hash(again.Spec.Tree));
        Assert.Equal(["a", "1"], again.Spec.Dataset.Csv!.Features);
    }
}
