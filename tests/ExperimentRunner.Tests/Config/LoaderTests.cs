using ExperimentRunner.Core.Config;
using ExperimentRunner.Core.Problems;

namespace ExperimentRunner.Tests.Config;

/// <summary>The loader end to end: YAML/JSON, overrides, aliases, auto outputs, warnings, round trips, sweeps, error collection.</summary>
public sealed class LoaderTests
{
    private const string Base = """
        name: loader-test
        seed: 3
        dataset: {name: spirals, samples: 300, classes: 3}
        model: {architecture: mlp, hidden: [16], activation: relu}
        loss: cross_entropy
        optimizer: {name: adam, lr: 0.01}
        training: {epochs: 3, batch_size: 32}

        """;

    private static LoadedExperiment Load(string yaml, params string[] overrides) =>
        TestRuntime.Instance.Loader.LoadText(yaml, "exp.yaml", Path.GetTempPath(), overrides);

    private static ConfigException Fails(string yaml, params string[] overrides) =>
        Assert.Throws<ConfigException>(() => Load(yaml, overrides));

    private static TrialSpec Single(string yaml, params string[] overrides) => Assert.Single(Load(yaml, overrides).Trials);

    private static string With(string replace, string by) =>
        Base.Contains(replace, StringComparison.Ordinal) ? Base.Replace(replace, by, StringComparison.Ordinal) : throw new ArgumentException($"'{replace}' is not in the base file");

    private static string Errors(ConfigException ex) => string.Join("\n", ex.Problems.Where(p => p.Severity == Severity.Error));

    // ---- YAML and JSON ----

    [Fact]
    public void Yaml_and_json_of_the_same_experiment_give_identical_trials()
    {
        const string yaml = """
            # every section, and a sweep
            name: same-either-way
            seed: 11
            dataset: {name: blobs, samples: 400, classes: 4, features: 3, split: [0.6, 0.2, 0.2]}
            model:
              architecture: mlp
              hidden: [32, 16]
              activation: {name: leaky_relu, negative_slope: 0.2}
              output_activation: auto
              dropout: 0.1
              norm: batch
              init: xavier_uniform
            loss: {name: cross_entropy, label_smoothing: 0.05}
            optimizer: {name: sgd, lr: 0.1, momentum: 0.9, nesterov: true}
            scheduler: {name: step, step_size: 5, gamma: 0.5}
            training:
              epochs: 12
              batch_size: 16
              early_stopping: {monitor: val_loss, patience: 4, min_delta: 0.001}
              gradient_clip: 1.5
            metrics: [accuracy, f1_macro]
            checkpoint: {formats: [safetensors], keep: [best]}
            diagnostics: {layer_stats: false}
            sweep:
              method: grid
              parameters:
                loss: [cross_entropy, {name: focal, gamma: 1.5}]
                optimizer.lr: [0.1, 0.01]
              seeds: [1, 2]
            """;
        const string json = """
            {
              "name": "same-either-way",
              "seed": 11,
              "dataset": {"name": "blobs", "samples": 400, "classes": 4, "features": 3, "split": [0.6, 0.2, 0.2]},
              "model": {
                "architecture": "mlp", "hidden": [32, 16], "activation": {"name": "leaky_relu", "negative_slope": 0.2},
                "output_activation": "auto", "dropout": 0.1, "norm": "batch", "init": "xavier_uniform"
              },
              "loss": {"name": "cross_entropy", "label_smoothing": 0.05},
              "optimizer": {"name": "sgd", "lr": 0.1, "momentum": 0.9, "nesterov": true},
              "scheduler": {"name": "step", "step_size": 5, "gamma": 0.5},
              "training": {"epochs": 12, "batch_size": 16, "early_stopping": {"monitor": "val_loss", "patience": 4, "min_delta": 0.001}, "gradient_clip": 1.5},
              "metrics": ["accuracy", "f1_macro"],
              "checkpoint": {"formats": ["safetensors"], "keep": ["best"]},
              "diagnostics": {"layer_stats": false},
              "sweep": {
                "method": "grid",
                "parameters": {"loss": ["cross_entropy", {"name": "focal", "gamma": 1.5}], "optimizer.lr": [0.1, 0.01]},
                "seeds": [1, 2]
              }
            }
            """;
        using var dir = new TempDir();
        var fromYaml = TestRuntime.Instance.Loader.Load(dir.Write("exp.yaml", yaml));
        var fromJson = TestRuntime.Instance.Loader.Load(dir.Write("exp.json", json));

        Assert.Equal(8, fromYaml.Trials.Count);
        Assert.Equal(fromYaml.Trials.Select(t => t.Id), fromJson.Trials.Select(t => t.Id));
        Assert.Equal(fromYaml.Trials.Select(t => ConfigWriter.ToCanonicalJson(t.Spec.Tree)), fromJson.Trials.Select(t => ConfigWriter.ToCanonicalJson(t.Spec.Tree)));
        Assert.Equal(fromYaml.Trials.Select(t => t.CellKey), fromJson.Trials.Select(t => t.CellKey));
        Assert.Equal(fromYaml.SweptKeys, fromJson.SweptKeys);
        Assert.Equal(dir.Path, fromJson.Trials[0].Spec.BaseDirectory);
    }

    // ---- --set ----

    [Fact]
    public void Set_overrides_scalars()
    {
        var trial = Single(Base, "optimizer.lr=0.05", "training.epochs=7", "seed=42", "model.activation=tanh");

        Assert.Equal(0.05, trial.Spec.Optimizer.Lr);
        Assert.Equal(7, trial.Spec.Training.Epochs);
        Assert.Equal(42, trial.Spec.Seed);
        Assert.Equal("tanh", trial.Spec.Model.Activation.Name);
    }

    [Fact]
    public void Set_of_a_parameter_turns_a_bare_name_into_a_mapping()
    {
        var huber = Single(With("loss: cross_entropy", "loss: huber"), "loss.delta=0.5");
        Assert.Equal("huber", huber.Spec.Loss.Name);
        Assert.Equal(0.5, huber.Spec.Loss.Delta);

        // Overrides apply in order: first the loss, then its parameter.
        var fromMse = Single(With("loss: cross_entropy", "loss: mse"), "loss=huber", "loss.delta=0.25");
        Assert.Equal(0.25, fromMse.Spec.Loss.Delta);

        var relu = Single(Base, "model.activation.negative_slope=0.3", "model.activation.name=leaky_relu");
        Assert.Equal("leaky_relu", relu.Spec.Model.Activation.Name);
        Assert.Equal(0.3, relu.Spec.Model.Activation.NegativeSlope);

        // mse takes no parameters: the mapping the override made is checked like any other.
        var ex = Fails(With("loss: cross_entropy", "loss: mse"), "loss.delta=0.5");
        Assert.Contains("loss.delta: unknown key 'delta'; 'mse' takes no parameters", Errors(ex));
    }

    [Fact]
    public void Set_takes_lists_and_mappings_as_yaml()
    {
        var trial = Single(Base, "model.hidden=[8,8]", "optimizer={name: sgd, lr: 0.2, momentum: 0.5}", "metrics=[acc]");

        Assert.Equal([8L, 8L], trial.Spec.Model.Hidden);
        Assert.Equal("sgd", trial.Spec.Optimizer.Name);
        Assert.Equal(0.5, trial.Spec.Optimizer.Momentum);
        Assert.Equal(["accuracy"], trial.Spec.Metrics);
    }

    [Fact]
    public void Set_of_an_unknown_key_names_the_override()
    {
        var ex = Fails(Base, "optimizer.lrr=0.1");

        var error = Assert.Single(ex.Problems);
        Assert.Equal("--set optimizer.lrr=0.1", error.Mark.Source);
        Assert.Equal("--set optimizer.lrr=0.1: error: optimizer.lrr: unknown key 'lrr' (did you mean 'lr'?); 'adam' allowed: lr, betas, eps, weight_decay, amsgrad, name", error.ToString());
    }

    [Theory]
    [InlineData("optimizer.lr", "expected key.path=value")]
    [InlineData("optimizer..lr=1", "the key path has an empty part")]
    [InlineData("optimizer.lr=[0.1", "cannot parse value '[0.1'")]
    [InlineData("optimizer.lr=-1", "optimizer.lr: -1 is out of range; allowed: > 0 and <= 100")]
    public void Set_with_a_bad_assignment_is_an_error(string assignment, string message)
    {
        var ex = Fails(Base, assignment);

        Assert.Contains(message, Errors(ex));
        Assert.Contains($"--set {assignment}", Errors(ex));
    }

    // ---- names ----

    [Fact]
    public void Aliases_resolve_to_canonical_names()
    {
        var trial = Single("""
            name: aliases
            dataset: {name: moons}
            model: {architecture: dense, activation: swish, output_activation: linear}
            loss: {name: ce, label_smoothing: 0.1}
            optimizer: adam
            scheduler: cosine_annealing
            metrics: [acc, f1, balanced_accuracy]
            """);

        Assert.Equal("mlp", trial.Spec.Model.Architecture);
        Assert.Equal("silu", trial.Spec.Model.Activation.Name);
        Assert.Equal("identity", trial.Spec.Model.OutputActivation.Name);
        Assert.Equal("cross_entropy", trial.Spec.Loss.Name);
        Assert.Equal(0.1, trial.Spec.Loss.LabelSmoothing);
        Assert.Equal("cosine", trial.Spec.Scheduler.Name);
        Assert.Equal(["accuracy", "f1_macro", "recall_macro"], trial.Spec.Metrics);
        // The id and config.yaml use the canonical names too.
        Assert.StartsWith("cross_entropy-silu-s0-", trial.Id);
        Assert.Contains("loss: {name: cross_entropy", ConfigWriter.ToYaml(trial.Spec.Tree));
    }

    [Fact]
    public void Names_are_case_insensitive()
    {
        var trial = Single(With("loss: cross_entropy", "loss: Cross_Entropy").Replace("activation: relu", "activation: ReLU"));

        Assert.Equal("cross_entropy", trial.Spec.Loss.Name);
        Assert.Equal("relu", trial.Spec.Model.Activation.Name);
    }

    [Theory]
    [InlineData("cross_entropy", "identity")]
    [InlineData("nll", "log_softmax")]
    [InlineData("bce", "sigmoid")]
    [InlineData("kl_div", "log_softmax")]
    [InlineData("mse", "identity")]
    [InlineData("bce_with_logits", "identity")]
    public void Output_activation_auto_resolves_to_what_the_loss_expects(string loss, string output)
    {
        var implicitAuto = Single(With("loss: cross_entropy", $"loss: {loss}"));
        var explicitAuto = Single(With("loss: cross_entropy", $"loss: {loss}"), "model.output_activation=auto");

        Assert.Equal(output, implicitAuto.Spec.Model.OutputActivation.Name);
        Assert.Equal(output, explicitAuto.Spec.Model.OutputActivation.Name);
        Assert.Contains($"output_activation: {output}", ConfigWriter.ToYaml(implicitAuto.Spec.Tree));
        Assert.Empty(implicitAuto.Warnings);
    }

    [Fact]
    public void Explicit_output_activation_is_honoured()
    {
        var trial = Single(With("loss: cross_entropy", "loss: mse"), "model.output_activation=tanh");

        Assert.Equal("tanh", trial.Spec.Model.OutputActivation.Name);
    }

    [Fact]
    public void Softmax_before_cross_entropy_is_a_warning_not_an_error()
    {
        var loaded = Load(Base, "model.output_activation=softmax");

        var trial = Assert.Single(loaded.Trials);
        var warning = Assert.Single(trial.Warnings);
        Assert.Equal(Severity.Warning, warning.Severity);
        Assert.Equal("model.output_activation", warning.Path);
        Assert.Contains("softmax is applied twice", warning.Message);
        Assert.StartsWith("--set model.output_activation=softmax: warning: ", warning.ToString());
        Assert.Equal(new[] { warning }, loaded.Warnings);
    }

    [Fact]
    public void Warnings_of_swept_trials_are_listed_once()
    {
        var loaded = Load(Base + """
            sweep:
              parameters:
                model.output_activation: [softmax, sigmoid, identity]
              seeds: 3
            """);

        Assert.Equal(9, loaded.Trials.Count);
        Assert.Equal(2, loaded.Warnings.Count);
        Assert.All(loaded.Warnings, w => Assert.Contains("applied twice", w.Message));
    }

    // ---- config.yaml round trip ----

    public static TheoryData<string> RoundTripFiles => new()
    {
        Base,
        With("loss: cross_entropy", "loss: {name: huber, delta: 0.5}").Replace("dataset: {name: spirals, samples: 300, classes: 3}", "dataset: {name: sine, samples: 100, periods: 2.5}"),
        With("training: {epochs: 3, batch_size: 32}", "training: {epochs: 3, batch_size: 32, early_stopping: {patience: 2}}") + "scheduler: {name: onecycle, max_lr: 0.1}\ncheckpoint: {keep: [last]}\n",
        With("model: {architecture: mlp, hidden: [16], activation: relu}", "model: {architecture: mlp, hidden: [], activation: {name: gelu, approximate: tanh}, bias_init: -2.0}"),
        With("loss: cross_entropy", "loss: {name: nll, weight: [1.0, 2.0, 0.5]}"),
    };

    [Theory]
    [MemberData(nameof(RoundTripFiles))]
    public void Config_yaml_of_a_trial_loads_again_to_the_same_hash(string yaml)
    {
        var trial = Single(yaml);

        var written = ConfigWriter.ToYaml(trial.Spec.Tree);
        var again = Single(written);

        Assert.Equal(ConfigWriter.Hash(trial.Spec.Tree), ConfigWriter.Hash(again.Spec.Tree));
        Assert.Equal(trial.Id, again.Id);
        Assert.Equal(written, ConfigWriter.ToYaml(again.Spec.Tree));
    }

    [Fact]
    public void Config_yaml_of_every_swept_trial_loads_again_to_the_same_hash()
    {
        var loaded = Load(Base + """
            sweep:
              parameters:
                loss: [cross_entropy, {name: huber, delta: 0.5}, nll]
                optimizer.lr: [0.1, 0.001]
              seeds: [4, 5]
            """);

        Assert.Equal(12, loaded.Trials.Count);
        foreach (var trial in loaded.Trials)
            Assert.Equal(ConfigWriter.Hash(trial.Spec.Tree), ConfigWriter.Hash(Single(ConfigWriter.ToYaml(trial.Spec.Tree)).Spec.Tree));
    }

    [Fact]
    public void Config_yaml_round_trip_through_a_file()
    {
        using var dir = new TempDir();
        var first = Assert.Single(TestRuntime.Instance.Loader.Load(dir.Write("a.yaml", Base)).Trials);
        var second = Assert.Single(TestRuntime.Instance.Loader.Load(dir.Write("config.yaml", ConfigWriter.ToYaml(first.Spec.Tree))).Trials);

        Assert.Equal(ConfigWriter.ToCanonicalJson(first.Spec.Tree), ConfigWriter.ToCanonicalJson(second.Spec.Tree));
    }

    // ---- sweeps ----

    [Fact]
    public void Grid_is_every_combination_times_the_seeds()
    {
        var loaded = Load(Base + """
            sweep:
              method: grid
              parameters:
                loss: [cross_entropy, mse]
                model.activation: [relu, tanh, gelu]
              seeds: [1, 2]
            """);

        Assert.Equal(["loss", "model.activation"], loaded.SweptKeys);
        Assert.Equal(12, loaded.Trials.Count);
        Assert.Equal(12, loaded.Trials.Select(t => t.Id).Distinct().Count());
        Assert.Equal(6, loaded.Trials.Select(t => t.CellKey).Distinct().Count());
        Assert.Equal(Enumerable.Range(0, 12), loaded.Trials.Select(t => t.Index));
        var combos = loaded.Trials.Select(t => (t.Spec.Loss.Name, t.Spec.Model.Activation.Name, t.Spec.Seed)).ToHashSet();
        foreach (var loss in new[] { "cross_entropy", "mse" })
        {
            foreach (var act in new[] { "relu", "tanh", "gelu" })
            {
                Assert.Contains((loss, act, 1L), combos);
                Assert.Contains((loss, act, 2L), combos);
            }
        }
        Assert.Equal("loss=cross_entropy|model.activation=relu", loaded.Trials[0].CellKey);
        Assert.All(loaded.Trials, t => Assert.Equal(["loss", "model.activation"], t.Swept.Select(s => s.Key)));
    }

    [Fact]
    public void Zip_walks_the_lists_together()
    {
        var loaded = Load(Base + """
            sweep:
              method: zip
              parameters:
                loss: [cross_entropy, mse, nll]
                model.output_activation: [identity, identity, log_softmax]
                optimizer.lr: [0.1, 0.01, 0.001]
            """);

        Assert.Equal(3, loaded.Trials.Count);
        Assert.Equal(
            [("cross_entropy", "identity", 0.1), ("mse", "identity", 0.01), ("nll", "log_softmax", 0.001)],
            loaded.Trials.Select(t => (t.Spec.Loss.Name, t.Spec.Model.OutputActivation.Name, t.Spec.Optimizer.Lr)));
        Assert.All(loaded.Trials, t => Assert.Equal(3, t.Spec.Seed)); // no seeds given: the file's seed
    }

    private const string RandomSweep = """
        sweep:
          method: random
          parameters:
            optimizer.lr: {distribution: log_uniform, min: 0.0001, max: 0.1}
            model.dropout: {distribution: uniform, min: 0.0, max: 0.5}
            training.batch_size: {distribution: int_uniform, min: 8, max: 64}
            model.activation: [relu, tanh, gelu]
          samples: 12
        """;

    [Fact]
    public void Random_draws_are_the_same_for_the_same_file_and_differ_between_draws()
    {
        var first = Load(Base + RandomSweep);
        var second = Load(Base + RandomSweep);

        Assert.Equal(12, first.Trials.Count);
        Assert.Equal(first.Trials.Select(t => t.Id), second.Trials.Select(t => t.Id));
        var lrs = first.Trials.Select(t => t.Spec.Optimizer.Lr).ToList();
        Assert.All(lrs, lr => Assert.InRange(lr, 0.0001, 0.1));
        Assert.True(lrs.Distinct().Count() >= 11, string.Join(", ", lrs));
        Assert.All(first.Trials, t => Assert.InRange(t.Spec.Model.Dropout, 0.0, 0.5));
        var batches = first.Trials.Select(t => t.Spec.Training.BatchSize).ToList();
        Assert.All(batches, b => Assert.InRange(b, 8, 64));
        Assert.True(batches.Distinct().Count() > 1);
        Assert.True(first.Trials.Select(t => t.Spec.Model.Activation.Name).Distinct().Count() > 1);
        // Drawn values are rounded to 6 significant digits, so they read well in summary.csv.
        Assert.All(first.Trials, t => Assert.True(t.Swept[0].Display.TrimStart('0', '.').Replace("E", "e").Split('e')[0].Replace(".", "").Length <= 6, t.Swept[0].Display));
    }

    [Fact]
    public void Random_draws_depend_on_the_seed_and_on_sampler_seed()
    {
        var base3 = Load(Base + RandomSweep).Trials.Select(t => t.Spec.Optimizer.Lr).ToList();
        var base4 = Load(Base.Replace("seed: 3", "seed: 4") + RandomSweep).Trials.Select(t => t.Spec.Optimizer.Lr).ToList();
        var sampler = Load(Base + RandomSweep + "\n  sampler_seed: 99\n").Trials.Select(t => t.Spec.Optimizer.Lr).ToList();
        var samplerAgain = Load(Base.Replace("seed: 3", "seed: 4") + RandomSweep + "\n  sampler_seed: 99\n").Trials.Select(t => t.Spec.Optimizer.Lr).ToList();

        Assert.NotEqual(base3, base4);
        Assert.NotEqual(base3, sampler);
        Assert.Equal(sampler, samplerAgain); // the sampler seed alone decides the draws
    }

    [Fact]
    public void Sampler_seed_outside_random_is_an_error()
    {
        var ex = Fails(Base + "sweep:\n  parameters:\n    loss: [mse, l1]\n  sampler_seed: 5\n");

        Assert.Contains("sweep.sampler_seed: sampler_seed only applies to method: random (this sweep is grid)", Errors(ex));
    }

    [Fact]
    public void Seeds_as_a_list_and_as_a_count()
    {
        var list = Load(Base + "sweep:\n  parameters:\n    loss: [cross_entropy, mse]\n  seeds: [10, 20, 30]\n");
        var count = Load(Base + "sweep:\n  parameters:\n    loss: [cross_entropy, mse]\n  seeds: 3\n");
        var sameAsCount = Load(Base + "sweep:\n  parameters:\n    loss: [cross_entropy, mse]\n  seeds: [1, 2, 3]\n");

        Assert.Equal([10L, 20L, 30L, 10L, 20L, 30L], list.Trials.Select(t => t.Spec.Seed));
        Assert.Equal([1L, 2L, 3L, 1L, 2L, 3L], count.Trials.Select(t => t.Spec.Seed));
        Assert.Equal(count.Trials.Select(t => t.Id), sameAsCount.Trials.Select(t => t.Id));
        Assert.All(list.Trials, t => Assert.Contains($"-s{t.Spec.Seed}-", t.Id));
    }

    [Fact]
    public void Seeds_alone_make_a_sweep()
    {
        var loaded = Load(Base + "sweep:\n  parameters:\n    training.epochs: [3]\n  seeds: 4\n");

        Assert.Equal(4, loaded.Trials.Count);
        Assert.Single(loaded.Trials.Select(t => t.CellKey).Distinct());
    }

    [Fact]
    public void Exclude_matches_aliases_and_seeds()
    {
        var loaded = Load(Base + """
            sweep:
              parameters:
                loss: [cross_entropy, mse]
                model.activation: [relu, tanh]
              seeds: [1, 2]
              exclude:
                - {loss: ce, model.activation: tanh}
                - {loss: l2, seed: 2}
            """);

        var trials = loaded.Trials.Select(t => (t.Spec.Loss.Name, t.Spec.Model.Activation.Name, t.Spec.Seed)).ToList();
        Assert.Equal(
            [("cross_entropy", "relu", 1L), ("cross_entropy", "relu", 2L), ("mse", "relu", 1L), ("mse", "tanh", 1L)],
            trials);
        Assert.Equal(Enumerable.Range(0, 4), loaded.Trials.Select(t => t.Index));
    }

    [Fact]
    public void Excluding_every_trial_is_an_error()
    {
        var ex = Fails(Base + "sweep:\n  parameters:\n    loss: [cross_entropy, mse]\n  exclude: [{loss: ce}, {loss: l2}]\n");

        Assert.Contains("every trial of the sweep is excluded", Errors(ex));
    }

    [Fact]
    public void Swept_values_may_be_mappings()
    {
        var loaded = Load(Base + """
            sweep:
              parameters:
                loss: [{name: huber, delta: 0.5}, mse, {name: huber, delta: 2.0}]
                model.activation: [{name: leaky_relu, negative_slope: 0.2}]
            """);

        Assert.Equal(3, loaded.Trials.Count);
        Assert.Equal(["huber(delta=0.5)", "mse", "huber(delta=2.0)"], loaded.Trials.Select(t => t.Swept[0].Display));
        Assert.Equal([0.5, 2.0], loaded.Trials.Where(t => t.Spec.Loss.Name == "huber").Select(t => t.Spec.Loss.Delta));
        Assert.All(loaded.Trials, t => Assert.Equal(0.2, t.Spec.Model.Activation.NegativeSlope));
        Assert.Equal("leaky_relu(negative_slope=0.2)", loaded.Trials[0].Swept[1].Display);
    }

    [Fact]
    public void Swept_parameter_below_a_bare_name_and_the_name_key()
    {
        var loaded = Load(With("loss: cross_entropy", "loss: huber") + """
            sweep:
              parameters:
                loss.delta: [0.5, 1.5]
                model.architecture: [mlp]
            """);

        Assert.Equal([0.5, 1.5], loaded.Trials.Select(t => t.Spec.Loss.Delta));
        Assert.All(loaded.Trials, t => Assert.Equal("huber", t.Spec.Loss.Name));
    }

    [Fact]
    public void Sweep_values_that_resolve_to_the_same_trial_are_an_error()
    {
        var ex = Fails(Base + "sweep:\n  parameters:\n    loss: [cross_entropy, ce, mse]\n");

        var error = Assert.Single(ex.Problems);
        Assert.Equal("sweep", error.Path);
        Assert.Contains("resolve to the same configuration; remove the repeated value", error.Message);
    }

    [Fact]
    public void A_problem_in_some_trials_names_them()
    {
        var ex = Fails(Base + "sweep:\n  parameters:\n    loss: [cross_entropy, nll]\n    model.output_activation: [identity, softmax]\n");

        var errors = ex.Problems.Where(p => p.Severity == Severity.Error).ToList();
        Assert.Equal(2, errors.Count);
        Assert.Contains(errors, e => e.Message.Contains("'nll' expects log-probabilities but 'identity'") && e.Message.EndsWith("[in trial loss=nll, model.output_activation=identity]"));
        Assert.Contains(errors, e => e.Message.Contains("'nll' expects log-probabilities but 'softmax'") && e.Message.EndsWith("[in trial loss=nll, model.output_activation=softmax]"));
    }

    // ---- all problems at once ----

    [Fact]
    public void Every_problem_of_a_file_is_reported_at_once()
    {
        var ex = Fails("""
            name: many problems
            seed: -1
            dataset: {name: spirals, samples: 4, classes: 3, split: [0.5, 0.5, 0.5]}
            model: {architecture: mlp, hidden: [16, 0], activation: rleu, dropout: 1.5}
            loss: cross_entropy
            optimizer: {name: adam, lr: -0.1, betas: [0.9]}
            training: {epochs: 0, batch_size: 32, patience: 3}
            metrics: [accuracy, rmse2]
            colour: blue
            """);

        var errors = ex.Problems.Where(p => p.Severity == Severity.Error).Select(p => p.Path).ToList();
        Assert.Equal(
            ["name", "seed", "dataset.samples", "dataset.split", "model.hidden[1]", "model.activation", "model.dropout", "optimizer.lr", "optimizer.betas", "training.epochs", "training.patience", "metrics[1]", "colour"],
            errors);
        Assert.All(ex.Problems, p => Assert.True(p.Mark.Line > 0, p.ToString()));
        Assert.Equal(string.Join(Environment.NewLine, ex.Problems), ex.Message);
    }

    [Fact]
    public void Sweep_problems_and_trial_problems_are_reported_together()
    {
        var ex = Fails(With("activation: relu", "activation: rleu") + "sweep:\n  method: grdi\n  parameters:\n    loss: [cross_entropy, mse]\n  seeds: lots\n");

        var errors = ex.Problems.Where(p => p.Severity == Severity.Error).Select(p => p.Path).ToList();
        Assert.Equal(["model.activation", "sweep.method", "sweep.seeds"], errors);
    }

    [Fact]
    public void Type_range_and_cross_field_problems_come_in_one_report_in_file_order()
    {
        var ex = Fails("""
            name: ten-mistakes
            seed: 1
            dataset: {name: spirals, samples: many, split: [0.5, 0.3, 0.3]}
            model: {architecture: mlp, hidden: [16], activation: relu, output_activation: softmax, dropout: 2}
            loss: nll
            optimizer: {name: adam, lr: "0.1"}
            training: {epochs: 10, batch_size: 32}
            metrics: [accuracy, mae]
            sweeps: {parameters: {loss: [nll]}}
            """);

        Assert.Equal(string.Join("\n",
        [
            "exp.yaml:3:35: error: dataset.samples: expected an integer (>= 8 and <= 10000000), got 'many'",
            "exp.yaml:3:48: error: dataset.split: train, validation and test fractions must add up to 1, got 0.5 + 0.3 + 0.3 = 1.1",
            "exp.yaml:4:79: error: model.output_activation: 'nll' expects log-probabilities but 'softmax' produces probabilities; use log_softmax (or auto)",
            "exp.yaml:4:97: error: model.dropout: 2 is out of range; allowed: >= 0 and < 1",
            "exp.yaml:6:29: error: optimizer.lr: expected a number (> 0 and <= 100), got text \"0.1\"",
            "exp.yaml:8:21: error: metrics[1]: 'mae' is a regression metric but dataset 'spirals' is a classification task; use accuracy, f1_macro, precision_macro, recall_macro",
            "exp.yaml:9:1: error: sweeps: unknown key 'sweeps' (did you mean 'sweep'?); allowed: name, seed, dataset, model, loss, optimizer, scheduler, training, metrics, checkpoint, diagnostics, loggers, limits, sweep, extends",
        ]), string.Join("\n", ex.Problems.Select(p => p.ToString())));
    }

    [Fact]
    public void Cross_field_rules_run_when_binding_succeeded_and_report_together()
    {
        var ex = Fails(Base
            .Replace("loss: cross_entropy", "loss: {name: nll, weight: [1.0]}", StringComparison.Ordinal)
            .Replace("optimizer: {name: adam, lr: 0.01}", "optimizer: {name: sgd, nesterov: true}", StringComparison.Ordinal)
            + "scheduler: {name: multistep, milestones: [5, 5]}\n", "model.output_activation=softmax");

        var errors = ex.Problems.Where(p => p.Severity == Severity.Error).Select(p => p.Path).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(["loss.weight", "model.output_activation", "optimizer.nesterov", "scheduler.milestones"], errors);
    }

    [Fact]
    public void A_folder_a_missing_file_and_a_wrong_extension_are_errors()
    {
        using var dir = new TempDir();
        var txt = dir.Write("exp.txt", Base);

        Assert.Contains("is a folder", Assert.Throws<ConfigException>(() => TestRuntime.Instance.Loader.Load(dir.Path)).Message);
        Assert.Contains("file not found", Assert.Throws<ConfigException>(() => TestRuntime.Instance.Loader.Load(Path.Combine(dir.Path, "nope.yaml"))).Message);
        Assert.Contains("unsupported extension '.txt'", Assert.Throws<ConfigException>(() => TestRuntime.Instance.Loader.Load(txt)).Message);
    }

    private sealed class TempDir : IDisposable
    {
        public string Path { get; } = Directory.CreateTempSubdirectory("exprun-loader-").FullName;

        public string Write(string name, string text)
        {
            var file = System.IO.Path.Combine(Path, name);
            File.WriteAllText(file, text);
            return file;
        }

        public void Dispose() => Directory.Delete(Path, recursive: true);
    }
}

public sealed class DefaultComponentNameTests
{
    private const string WithoutOptimizer = """
        name: opt
        dataset: {name: moons}
        model: {architecture: mlp, hidden: [8]}
        loss: cross_entropy
        sweep:
          parameters:
            optimizer.lr: [0.01, 0.1]
        """;

    [Fact]
    public void SweepingAParameterOfAnOmittedComponentKeepsTheDefaultName()
    {
        var trials = TestRuntime.Instance.Loader.LoadText(WithoutOptimizer, "opt.yaml", "/tmp").Trials;
        Assert.Equal(2, trials.Count);
        Assert.All(trials, t => Assert.Equal("adam", t.Spec.Optimizer.Name));
        Assert.Equal([0.01, 0.1], trials.Select(t => t.Spec.Optimizer.Lr));
    }

    [Fact]
    public void AComponentWithoutADefaultStillNeedsItsName()
    {
        var ex = Assert.Throws<ExperimentRunner.Core.Problems.ConfigException>(() =>
            TestRuntime.Instance.Loader.LoadText(WithoutOptimizer.Replace("loss: cross_entropy", "loss: {delta: 0.5}"), "opt.yaml", "/tmp"));
        Assert.Contains("loss.name: missing 'name': say which loss to use", ex.Message);
    }
}
