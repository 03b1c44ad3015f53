using ExperimentRunner.Core.Config;
using ExperimentRunner.Core.Problems;

namespace ExperimentRunner.Tests.Config;

/// <summary>
/// <c>extends</c>: bases merged under a file (mappings key by key, lists and scalars replace), chains, lists in
/// order, cycles and missing files, problems in bases, <c>--set</c> after the merge, JSON and YAML mixed, data
/// paths of bases in other folders, and the merged trial being the same trial as the equivalent flat file.
/// </summary>
public sealed class ExtendsTests : IDisposable
{
    private readonly TempDir _temp = new();

    // The README's example base: a dataset, a model and training settings shared by several experiments.
    private const string SpiralsBase = """
        seed: 3
        dataset: {name: spirals, samples: 300, classes: 3, noise: 0.2}
        model:
          architecture: mlp
          hidden: [32, 16]
          activation: relu
          dropout: 0.1
        loss: cross_entropy
        optimizer: {name: adam, lr: 0.01, weight_decay: 0.001}
        training:
          epochs: 4
          batch_size: 32
          early_stopping: {monitor: val_loss, patience: 3}
        metrics: [accuracy, f1_macro]
        """;

    private const string TanhChild = """
        extends: bases/spirals.yaml
        name: tanh-child
        model: {activation: tanh}
        training: {early_stopping: {patience: 5}}
        metrics: [accuracy]
        """;

    // What TanhChild means, written out.
    private const string TanhFlat = """
        name: tanh-child
        seed: 3
        dataset: {name: spirals, samples: 300, classes: 3, noise: 0.2}
        model: {architecture: mlp, hidden: [32, 16], activation: tanh, dropout: 0.1}
        loss: cross_entropy
        optimizer: {name: adam, lr: 0.01, weight_decay: 0.001}
        training: {epochs: 4, batch_size: 32, early_stopping: {monitor: val_loss, patience: 5}}
        metrics: [accuracy]
        """;

    public void Dispose() => _temp.Dispose();

    /// <summary>Loads a file of the temp folder named as a user standing in that folder would name it (<c>exp/child.yaml</c>).</summary>
    private LoadedExperiment Load(string name, params string[] overrides)
    {
        var full = _temp.Combine(name);
        return TestRuntime.Instance.Loader.LoadText(File.ReadAllText(full), name, Path.GetDirectoryName(full)!, overrides);
    }

    private TrialSpec Single(string name, params string[] overrides) => Assert.Single(Load(name, overrides).Trials);

    private List<string> Problems(string name, params string[] overrides) =>
        Assert.Throws<ConfigException>(() => Load(name, overrides)).Problems.Select(p => p.ToString()).ToList();

    private static void SameTrial(TrialSpec expected, TrialSpec actual)
    {
        Assert.Equal(ConfigWriter.ToYaml(expected.Spec.Tree), ConfigWriter.ToYaml(actual.Spec.Tree));
        Assert.Equal(expected.Id, actual.Id);
    }

    // ---- merging ----

    [Fact]
    public void A_child_keeps_what_it_does_not_write_mappings_merge_at_every_depth_and_lists_replace()
    {
        _temp.Write("bases/spirals.yaml", SpiralsBase);
        _temp.Write("child.yaml", TanhChild);
        _temp.Write("flat.yaml", TanhFlat);

        var trial = Single("child.yaml");

        var model = trial.Spec.Model;
        Assert.Equal("tanh", model.Activation.Name);
        Assert.Equal([32L, 16L], model.Hidden);
        Assert.Equal(0.1, trial.Spec.Tree.At("model.dropout"));
        Assert.Equal(new EarlyStoppingSpec("val_loss", 5, 0.0), trial.Spec.Training.EarlyStopping);
        Assert.Equal(4, trial.Spec.Training.Epochs);
        Assert.Equal(["accuracy"], trial.Spec.Metrics);
        SameTrial(Single("flat.yaml"), trial);
        Assert.DoesNotContain("extends", ConfigWriter.ToYaml(trial.Spec.Tree), StringComparison.Ordinal);
    }

    [Fact]
    public void A_chain_across_folders_applies_the_deepest_base_first()
    {
        _temp.Write("bases/common.yaml", """
            seed: 3
            dataset: {name: spirals, samples: 300, classes: 3}
            loss: cross_entropy
            training: {epochs: 4, batch_size: 32}
            """);
        _temp.Write("bases/mlp.yaml", """
            extends: common.yaml
            model: {architecture: mlp, hidden: [32, 16], activation: relu}
            training: {epochs: 6}
            """);
        _temp.Write("exp/child.yaml", """
            extends: ../bases/mlp.yaml
            name: chained
            model: {hidden: [8]}
            """);
        _temp.Write("exp/flat.yaml", """
            name: chained
            seed: 3
            dataset: {name: spirals, samples: 300, classes: 3}
            model: {architecture: mlp, hidden: [8], activation: relu}
            loss: cross_entropy
            training: {epochs: 6, batch_size: 32}
            """);

        var trial = Single("exp/child.yaml");

        Assert.Equal([8L], trial.Spec.Model.Hidden);
        Assert.Equal(6, trial.Spec.Training.Epochs);
        Assert.Equal(32, trial.Spec.Training.BatchSize);
        SameTrial(Single("exp/flat.yaml"), trial);
    }

    [Fact]
    public void A_list_of_bases_applies_in_order_and_the_file_itself_wins()
    {
        _temp.Write("data.yaml", """
            seed: 3
            dataset: {name: moons, samples: 200}
            optimizer: {name: adam, lr: 0.1, weight_decay: 0.01}
            """);
        _temp.Write("model.yaml", """
            model: {architecture: mlp, hidden: [8], activation: gelu}
            loss: cross_entropy
            optimizer: {lr: 0.02}
            """);
        _temp.Write("a.yaml", "extends: [data.yaml, model.yaml]\nname: a\n");
        _temp.Write("b.yaml", "extends: [model.yaml, data.yaml]\nname: b\n");
        _temp.Write("c.yaml", "extends: [data.yaml, model.yaml]\nname: c\noptimizer: {lr: 0.5}\n");

        static (string, double, double) Of(TrialSpec t) => (t.Spec.Optimizer.Name, t.Spec.Optimizer.Lr, t.Spec.Optimizer.WeightDecay);
        Assert.Equal(("adam", 0.02, 0.01), Of(Single("a.yaml")));
        Assert.Equal(("adam", 0.1, 0.01), Of(Single("b.yaml")));
        Assert.Equal(("adam", 0.5, 0.01), Of(Single("c.yaml")));
    }

    [Fact]
    public void Two_bases_sharing_a_third_apply_it_once_so_the_second_does_not_undo_the_first()
    {
        _temp.Write("common.yaml", SpiralsBase);
        _temp.Write("fast.yaml", "extends: common.yaml\noptimizer: {lr: 0.05}\n");
        _temp.Write("wide.yaml", "extends: common.yaml\nmodel: {hidden: [128]}\n");
        _temp.Write("child.yaml", "extends: [fast.yaml, wide.yaml]\nname: diamond\n");

        var trial = Single("child.yaml");

        Assert.Equal(0.05, trial.Spec.Optimizer.Lr);
        Assert.Equal([128L], trial.Spec.Model.Hidden);
    }

    [Fact]
    public void A_catalog_choice_naming_another_entry_replaces_the_base_one_and_one_without_a_name_keeps_it()
    {
        _temp.Write("base.yaml", SpiralsBase
            .Replace("optimizer: {name: adam, lr: 0.01, weight_decay: 0.001}", "optimizer: {name: sgd, lr: 0.1, momentum: 0.9}", StringComparison.Ordinal)
            .Replace("loss: cross_entropy", "loss: {name: cross_entropy, label_smoothing: 0.1}", StringComparison.Ordinal)
            .Replace("activation: relu", "activation: elu", StringComparison.Ordinal));
        // adam, not sgd with sgd's lr and momentum (adam has no momentum: that would be an error).
        _temp.Write("other.yaml", "extends: base.yaml\nname: other\noptimizer: {name: adam}\n");
        // 'ce' is cross_entropy: the same entry, so label_smoothing stays.
        _temp.Write("alias.yaml", "extends: base.yaml\nname: alias\nloss: {name: ce}\n");
        // A word in the base (elu) and parameters in the child: the base's name with the child's parameters, as --set does.
        _temp.Write("params.yaml", "extends: base.yaml\nname: params\nmodel: {activation: {alpha: 0.5}}\n");

        var optimizer = Single("other.yaml").Spec.Optimizer;
        Assert.Equal(("adam", 0.001, null), (optimizer.Name, optimizer.Lr, optimizer.Momentum));
        Assert.Equal(0.1, Single("alias.yaml").Spec.Loss.LabelSmoothing);
        var activation = Single("params.yaml").Spec.Model.Activation;
        Assert.Equal("elu", activation.Name);
        Assert.Equal(0.5, activation.Alpha);
    }

    [Fact]
    public void A_sweep_comes_from_a_base_merges_with_the_childs_and_null_removes_it()
    {
        _temp.Write("base.yaml", SpiralsBase + """

            sweep:
              parameters:
                model.activation: [relu, tanh]
              seeds: [1, 2]
            """);
        _temp.Write("inherits.yaml", "extends: base.yaml\nname: inherits\nloss: nll\n");
        _temp.Write("adds.yaml", "extends: base.yaml\nname: adds\nsweep: {parameters: {optimizer.lr: [0.1, 0.01]}}\n");
        _temp.Write("drops.yaml", "extends: base.yaml\nname: drops\nsweep: null\n");

        var inherits = Load("inherits.yaml");
        Assert.Equal(["model.activation"], inherits.SweptKeys);
        Assert.Equal(4, inherits.Trials.Count);
        Assert.All(inherits.Trials, t => Assert.Equal("nll", t.Spec.Loss.Name));
        var adds = Load("adds.yaml");
        Assert.Equal(["model.activation", "optimizer.lr"], adds.SweptKeys);
        Assert.Equal(8, adds.Trials.Count);
        Assert.Empty(Single("drops.yaml").Swept);
    }

    [Fact]
    public void The_readme_example_two_children_change_loss_and_activation_and_keep_the_rest()
    {
        _temp.Write("experiments/bases/spirals-mlp.yaml", """
            # a base: keys shared by several experiments (no name: it is not an experiment by itself)
            seed: 7
            dataset: {name: spirals, samples: 1500, classes: 3, noise: 0.2}
            model:
              architecture: mlp
              hidden: [64, 64]
              activation: relu
            loss: cross_entropy
            optimizer: {name: adam, lr: 0.001}
            training: {epochs: 30, batch_size: 64}
            """);
        _temp.Write("experiments/spirals-mse.yaml", "extends: bases/spirals-mlp.yaml\nname: spirals-mse\nloss: mse\n");
        _temp.Write("experiments/spirals-tanh.yaml", "extends: bases/spirals-mlp.yaml\nname: spirals-tanh\nmodel: {activation: tanh}\n");

        var mse = Single("experiments/spirals-mse.yaml").Spec;
        var tanh = Single("experiments/spirals-tanh.yaml").Spec;

        Assert.Equal(("spirals-mse", "mse", "relu"), (mse.Name, mse.Loss.Name, mse.Model.Activation.Name));
        Assert.Equal(("spirals-tanh", "cross_entropy", "tanh"), (tanh.Name, tanh.Loss.Name, tanh.Model.Activation.Name));
        Assert.Equal([64L, 64L], mse.Model.Hidden);
        Assert.Equal([64L, 64L], tanh.Model.Hidden);
        Assert.Equal((7L, 1500L, 30), (tanh.Seed, tanh.Tree.At("dataset.samples"), tanh.Training.Epochs));
    }

    // ---- --set, JSON, schema keys ----

    [Fact]
    public void Set_applies_after_the_merge_over_base_and_child_keys()
    {
        _temp.Write("bases/spirals.yaml", SpiralsBase);
        _temp.Write("child.yaml", TanhChild);

        var trial = Single("child.yaml", "model.hidden=[4]", "model.activation=gelu", "training.early_stopping.patience=2");

        Assert.Equal([4L], trial.Spec.Model.Hidden);
        Assert.Equal("gelu", trial.Spec.Model.Activation.Name);
        Assert.Equal(0.1, trial.Spec.Tree.At("model.dropout"));
        Assert.Equal(new EarlyStoppingSpec("val_loss", 2, 0.0), trial.Spec.Training.EarlyStopping);
    }

    [Fact]
    public void Set_cannot_change_extends()
    {
        _temp.Write("bases/spirals.yaml", SpiralsBase);
        _temp.Write("child.yaml", TanhChild);

        Assert.Equal(
            ["--set extends=other.yaml: error: extends: bases are merged before --set applies; write extends in the experiment file"],
            Problems("child.yaml", "extends=other.yaml"));
    }

    [Fact]
    public void Json_extends_yaml_and_yaml_extends_json_to_the_same_trial()
    {
        _temp.Write("bases/spirals.yaml", SpiralsBase);
        _temp.Write("child.yaml", TanhChild);
        _temp.Write("child.json", """
            {
              "extends": "bases/spirals.yaml",
              "name": "tanh-child",
              "model": {"activation": "tanh"},
              "training": {"early_stopping": {"patience": 5}},
              "metrics": ["accuracy"]
            }
            """);
        _temp.Write("json/base.json", """
            {
              "seed": 3,
              "dataset": {"name": "spirals", "samples": 300, "classes": 3, "noise": 0.2},
              "model": {"architecture": "mlp", "hidden": [32, 16], "activation": "relu", "dropout": 0.1},
              "loss": "cross_entropy",
              "optimizer": {"name": "adam", "lr": 0.01, "weight_decay": 0.001},
              "training": {"epochs": 4, "batch_size": 32, "early_stopping": {"monitor": "val_loss", "patience": 3}},
              "metrics": ["accuracy", "f1_macro"]
            }
            """);
        _temp.Write("from-json.yaml", TanhChild.Replace("bases/spirals.yaml", "json/base.json", StringComparison.Ordinal));

        var yaml = Single("child.yaml");
        SameTrial(yaml, Single("child.json"));
        SameTrial(yaml, Single("from-json.yaml"));
    }

    [Fact]
    public void A_misspelled_extends_gets_a_hint()
    {
        _temp.Write("child.yaml", TanhFlat + "\nextend: base.yaml\n");

        Assert.Equal(
            ["child.yaml:9:1: error: extend: unknown key 'extend' (did you mean 'extends'?); allowed: name, seed, dataset, model, loss, optimizer, scheduler, training, metrics, checkpoint, diagnostics, loggers, limits, sweep, extends"],
            Problems("child.yaml"));
    }

    // ---- config.yaml and trial ids ----

    [Fact]
    public void The_written_config_of_a_merged_file_has_no_extends_and_loads_again_as_the_same_trial()
    {
        _temp.Write("bases/spirals.yaml", SpiralsBase);
        _temp.Write("child.yaml", TanhChild);
        var trial = Single("child.yaml");

        _temp.Write("written/config.yaml", ConfigWriter.ToYaml(trial.Spec.Tree));

        SameTrial(trial, Single("written/config.yaml"));
    }

    [Fact]
    public void Every_trial_of_a_swept_merged_file_has_the_id_of_the_flat_files_trial()
    {
        const string sweep = "\nsweep: {parameters: {loss: [cross_entropy, nll]}, seeds: 2}\n";
        _temp.Write("bases/spirals.yaml", SpiralsBase + sweep);
        _temp.Write("child.yaml", TanhChild);
        _temp.Write("flat.yaml", TanhFlat + sweep);

        Assert.Equal(Load("flat.yaml").Trials.Select(t => t.Id), Load("child.yaml").Trials.Select(t => t.Id));
    }

    // ---- problems ----

    [Fact]
    public void A_cycle_is_an_error_naming_the_chain_at_the_extends_entry_that_closes_it()
    {
        _temp.Write("a.yaml", "extends: b.yaml\nname: a\n");
        _temp.Write("b.yaml", "extends: a.yaml\nseed: 1\n");
        _temp.Write("self.yaml", "name: self\nextends: [self.yaml]\n");

        Assert.Equal(
            ["b.yaml:1:10: error: extends: 'a.yaml' closes a cycle: a.yaml -> b.yaml -> a.yaml; a file cannot extend itself, directly or through its bases"],
            Problems("a.yaml"));
        Assert.Equal(
            ["self.yaml:2:11: error: extends[0]: 'self.yaml' closes a cycle: self.yaml -> self.yaml; a file cannot extend itself, directly or through its bases"],
            Problems("self.yaml"));
    }

    [Fact]
    public void A_missing_base_is_an_error_naming_the_chain_and_where_it_was_looked_for()
    {
        _temp.Write("bases/spirals.yaml", SpiralsBase);
        _temp.Write("bases/mid.yaml", "extends: gone.yaml\nseed: 4\n");
        _temp.Write("exp/child.yaml", "extends: [../bases/spirals.yaml, ../bases/mid.yaml]\nname: child\n");
        _temp.Write("exp/direct.yaml", "name: direct\nextends: nope.yaml\n");

        Assert.Equal(
            [$"bases/mid.yaml:1:10: error: extends: 'gone.yaml' not found: {_temp.Combine("bases", "gone.yaml")} (a path in extends is relative to the folder of the file it is written in); chain: exp/child.yaml -> bases/mid.yaml -> bases/gone.yaml"],
            Problems("exp/child.yaml"));
        Assert.Equal(
            [$"exp/direct.yaml:2:10: error: extends: 'nope.yaml' not found: {_temp.Combine("exp", "nope.yaml")} (a path in extends is relative to the folder of the file it is written in); chain: exp/direct.yaml -> exp/nope.yaml"],
            Problems("exp/direct.yaml"));
    }

    [Fact]
    public void Extends_values_that_are_not_base_files_are_errors_with_what_is_allowed()
    {
        _temp.Write("folder/keep.txt", "");
        _temp.Write("notes.txt", "seed: 1\n");
        _temp.Write("empty.yaml", "\n");
        _temp.Write("list.yaml", "- seed: 1\n");
        _temp.Write("mapping.yaml", "name: m\nextends: {file: base.yaml}\n");
        _temp.Write("items.yaml", "name: i\nextends: ['', [a.yaml], notes.txt, folder, empty.yaml, list.yaml]\n");

        Assert.Equal(
            ["mapping.yaml:2:10: error: extends: expected a file path or a list of paths (extends: base.yaml, or extends: [data.yaml, model.yaml]), got a mapping {file: base.yaml}"],
            Problems("mapping.yaml"));
        Assert.Equal(
        [
            "items.yaml:2:11: error: extends[0]: is empty; give the base file's path, relative to this file",
            "items.yaml:2:15: error: extends[1]: expected a file path, got a list [a.yaml]",
            "items.yaml:2:25: error: extends[2]: 'notes.txt' has the extension '.txt'; extends names experiment files (.yaml, .yml or .json); chain: items.yaml -> notes.txt",
            $"items.yaml:2:36: error: extends[3]: 'folder' is a folder ({_temp.Combine("folder")}); extends names experiment files (.yaml, .yml or .json); chain: items.yaml -> folder",
            "items.yaml:2:44: error: extends[4]: 'empty.yaml' is empty; a base holds keys of an experiment file (any of them); chain: items.yaml -> empty.yaml",
            "list.yaml:1:1: error: a base file is a mapping of experiment keys (dataset, model, ...), got a list [{seed: 1}]; chain: items.yaml -> list.yaml",
        ], Problems("items.yaml"));
    }

    [SkippableFact]
    public void A_base_that_is_a_named_pipe_is_refused_without_waiting_for_a_writer()
    {
        Skip.IfNot(Fifos.TryMake(_temp.Combine("pipe.yaml")), "mkfifo is not available");
        _temp.Write("child.yaml", "name: c\nextends: pipe.yaml\n");

        Assert.Equal(
            ["child.yaml:2:10: error: extends: 'pipe.yaml' is a named pipe (FIFO), whose reads wait for a writer, not an experiment file; give a .yaml, .yml or .json file; chain: child.yaml -> pipe.yaml"],
            Problems("child.yaml"));
    }

    [Fact]
    public void A_base_that_is_not_utf8_is_named_at_the_bad_byte()
    {
        File.WriteAllBytes(_temp.Combine("latin1.yaml"), [.. "seed: 1\nname: caf"u8, 0xE9, (byte)'\n']);
        _temp.Write("child.yaml", "name: c\nextends: latin1.yaml\n");

        Assert.Equal(
            ["latin1.yaml:2:10: error: byte E9 is not UTF-8; save the file as UTF-8 text; chain: child.yaml -> latin1.yaml"],
            Problems("child.yaml"));
    }

    [Fact]
    public void A_problem_in_a_base_names_the_base_file_and_line_after_the_childs_own_problems()
    {
        _temp.Write("bases/spirals.yaml", SpiralsBase.Replace("seed: 3", "seed: three", StringComparison.Ordinal).Replace("epochs: 4", "epochs: four", StringComparison.Ordinal));
        _temp.Write("child.yaml", TanhChild.Replace("activation: tanh", "activation: tanhh", StringComparison.Ordinal));

        // The child's problems first (it is the file the user opened), then the base's, each file top to bottom.
        Assert.Equal(
        [
            "child.yaml:3:21: error: model.activation: unknown activation 'tanhh' (did you mean 'tanh'?); allowed: relu, leaky_relu, prelu, elu, selu, celu, gelu, silu, mish, tanh, sigmoid, hardtanh, hardsigmoid, hardswish, relu6, softplus, softsign, tanhshrink, logsigmoid, identity",
            "bases/spirals.yaml:1:7: error: seed: expected an integer (>= 0 and <= 2147483647), got 'three'",
            "bases/spirals.yaml:11:11: error: training.epochs: expected an integer (>= 1 and <= 1000000), got 'four'",
        ], Problems("child.yaml"));
    }

    [Fact]
    public void A_value_the_child_overrides_is_reported_where_the_child_wrote_it()
    {
        _temp.Write("bases/spirals.yaml", SpiralsBase);
        _temp.Write("child.yaml", TanhChild.Replace("patience: 5", "patience: 0", StringComparison.Ordinal));

        var error = Assert.Single(Problems("child.yaml"));
        Assert.StartsWith("child.yaml:4:39: error: training.early_stopping.patience: ", error);
    }

    [Fact]
    public void Malformed_yaml_in_a_base_is_reported_with_the_base_files_name()
    {
        _temp.Write("broken.yaml", "model: {architecture: mlp\nloss: mse\n");
        _temp.Write("child.yaml", "name: c\nextends: broken.yaml\n");

        Assert.Equal(["broken.yaml:1:9: error: malformed YAML: the file ends inside an unclosed '[', '{' or quote (the last value read starts here)"], Problems("child.yaml"));
    }

    // ---- data paths ----

    private const string Table = "a,b,label\n0.1,0.2,x\n0.3,0.1,y\n0.5,0.9,x\n0.7,0.4,y\n0.2,0.8,x\n0.9,0.3,y\n0.4,0.6,x\n0.6,0.5,y\n0.8,0.7,x\n0.1,0.9,y\n";

    [Fact]
    public void A_bases_relative_data_paths_resolve_against_the_bases_folder_and_the_childs_against_its_own()
    {
        _temp.Write("common/bases/data/t.csv", Table);
        _temp.Write("common/bases/data/u.csv", Table);
        _temp.Write("exp/mine.csv", Table);
        var absolute = _temp.Write("abs/v.csv", Table);
        _temp.Write("common/bases/csv.yaml", $"""
            seed: 1
            dataset: {"{"}name: csv, path: data/t.csv, target: label, test_path: {absolute}{"}"}
            model: {"{"}architecture: mlp, hidden: [4]{"}"}
            loss: cross_entropy
            training: {"{"}epochs: 1{"}"}
            """);
        _temp.Write("exp/child.yaml", "extends: ../common/bases/csv.yaml\nname: csv-child\n");
        _temp.Write("exp/own.yaml", "extends: ../common/bases/csv.yaml\nname: csv-child\ndataset: {path: mine.csv}\n");
        _temp.Write("exp/flat.yaml", $"""
            name: csv-child
            seed: 1
            dataset: {"{"}name: csv, path: ../common/bases/data/t.csv, target: label, test_path: {absolute}{"}"}
            model: {"{"}architecture: mlp, hidden: [4]{"}"}
            loss: cross_entropy
            training: {"{"}epochs: 1{"}"}
            """);

        var child = Single("exp/child.yaml");
        Assert.Equal("../common/bases/data/t.csv", child.Spec.Dataset.Csv!.Path);
        Assert.Equal(absolute, child.Spec.Dataset.Csv.TestPath);
        SameTrial(Single("exp/flat.yaml"), child);
        Assert.Equal("mine.csv", Single("exp/own.yaml").Spec.Dataset.Csv!.Path);
    }

    [Fact]
    public void Swept_and_excluded_data_paths_of_a_base_are_rewritten_alike()
    {
        _temp.Write("bases/data/t.csv", Table);
        _temp.Write("bases/data/u.csv", Table);
        _temp.Write("bases/csv.yaml", """
            seed: 1
            dataset: {name: csv, path: data/t.csv, target: label}
            model: {architecture: mlp, hidden: [4]}
            loss: cross_entropy
            training: {epochs: 1}
            sweep:
              parameters:
                dataset.path: [data/t.csv, data/u.csv]
                model.activation: [relu, tanh]
              exclude: [{dataset.path: data/u.csv, model.activation: tanh}]
            """);
        _temp.Write("exp/child.yaml", "extends: ../bases/csv.yaml\nname: swept\n");

        var trials = Load("exp/child.yaml").Trials;

        Assert.Equal(
            [("../bases/data/t.csv", "relu"), ("../bases/data/t.csv", "tanh"), ("../bases/data/u.csv", "relu")],
            trials.Select(t => (t.Spec.Dataset.Csv!.Path, t.Spec.Model.Activation.Name)));
    }

    [Fact]
    public void A_base_in_the_experiment_files_folder_keeps_its_paths_as_written()
    {
        _temp.Write("data/t.csv", Table);
        _temp.Write("base.yaml", "seed: 1\ndataset: {name: csv, path: ./data/t.csv, target: label}\nmodel: {architecture: mlp, hidden: [4]}\nloss: cross_entropy\n");
        _temp.Write("child.yaml", "extends: base.yaml\nname: same-folder\n");

        Assert.Equal("./data/t.csv", Single("child.yaml").Spec.Dataset.Csv!.Path);
    }
}
