using ExperimentRunner.Cli;
using ExperimentRunner.Core.Catalog;

namespace ExperimentRunner.Tests.Completion;

/// <summary>
/// What <c>exprun [suggest:N] "LINE"</c> prints, the way the bash script asks for it: the candidates for the word at
/// the cursor, one a line (compared here in ordinal order). System.CommandLine matches by substring (the script keeps
/// prefix matches), so most tests compare the whole set and some only check a candidate is there.
/// </summary>
public sealed class SuggestDirectiveTests : IDisposable
{
    private readonly TempDir _temp = new();

    [Fact]
    public void A_partial_command_completes_to_the_command()
    {
        var candidates = Suggest("exprun li");

        Assert.Contains("list", candidates);
        Assert.DoesNotContain("run", candidates);
    }

    [Fact]
    public void After_the_program_name_every_visible_command_is_offered_and_the_worker_is_not()
    {
        var commands = Suggest("exprun ").Where(c => !c.StartsWith('-') && !c.StartsWith('/')).ToList();

        Assert.Equal(["check", "collect", "compare", "completion", "export", "list", "predict", "report", "run", "schema", "validate"], commands);
    }

    [Fact]
    public void List_takes_the_catalog_kinds()
    {
        var kinds = Suggest("exprun list ").Where(c => !c.StartsWith('-') && !c.StartsWith('/')).ToList();

        Assert.Equal(["activations", "architectures", "datasets", "layers", "loggers", "losses", "metrics", "optimizers", "output-activations", "schedulers"], kinds);
        Assert.Equal(["output-activations"], Suggest("exprun list output"));
    }

    [Fact]
    public void A_dash_after_run_lists_its_options()
    {
        Assert.Equal(["--dry-run", "--fresh", "--help", "--output", "--parallel", "--restart-damaged", "--resume", "--set", "--shard", "--threads"], Suggest("exprun run configs/quickstart.yaml --"));
    }

    [Fact]
    public void Export_subcommands_are_completed()
    {
        Assert.Equal(["k8s", "slurm"], Suggest("exprun export ").Where(c => !c.StartsWith('-') && !c.StartsWith('/')).ToList());
    }

    [Fact]
    public void A_loss_after_set_loss_is_one_of_the_catalog_losses()
    {
        var losses = Suggest("exprun run configs/quickstart.yaml --set loss=");

        Assert.Equal(
            ["loss=bce", "loss=bce_with_logits", "loss=cross_entropy", "loss=focal", "loss=huber", "loss=kl_div", "loss=l1", "loss=log_cosh",
             "loss=mse", "loss=multi_margin", "loss=nll", "loss=poisson_nll", "loss=smooth_l1"],
            losses);
        Assert.Equal(Catalogs.Default.Losses.Names.Select(n => "loss=" + n).Order(StringComparer.Ordinal), losses);
        Assert.Equal(["loss=huber"], Suggest("exprun run configs/quickstart.yaml --set loss=hu"));
    }

    [Fact]
    public void Set_values_follow_the_kind_of_the_key()
    {
        const string run = "exprun run configs/quickstart.yaml --set ";

        Assert.Equal(Catalogs.Default.Activations.Names.Select(n => "model.activation=" + n).Order(StringComparer.Ordinal), Suggest(run + "model.activation="));
        Assert.Contains("model.activation=gelu", Suggest(run + "model.activation="));
        Assert.Equal(["model.activation.name=leaky_relu"], Suggest(run + "model.activation.name=leaky"));
        Assert.Contains("model.output_activation=log_softmax", Suggest(run + "model.output_activation="));
        Assert.Equal(["model.architecture=cnn", "model.architecture=mlp", "model.architecture=sequential"], Suggest(run + "model.architecture="));
        Assert.Contains("dataset=spirals", Suggest(run + "dataset="));
        Assert.Contains("dataset.name=moons", Suggest(run + "dataset.name="));
        Assert.Equal(["optimizer=adagrad", "optimizer=adam", "optimizer=adamw", "optimizer=rmsprop", "optimizer=sgd"], Suggest(run + "optimizer="));
        Assert.Contains("scheduler=onecycle", Suggest(run + "scheduler="));
        Assert.Contains("metrics=[f1_macro]", Suggest(run + "metrics="));
        Assert.Equal(["loggers=[tensorboard]"], Suggest(run + "loggers="));
        Assert.Equal(["checkpoint.formats=[pt]", "checkpoint.formats=[safetensors]"], Suggest(run + "checkpoint.formats="));
        Assert.Equal(["training.early_stopping.monitor=train_loss", "training.early_stopping.monitor=val_loss"], Suggest(run + "training.early_stopping.monitor="));
        Assert.Equal(["diagnostics.layer_stats=false", "diagnostics.layer_stats=true"], Suggest(run + "diagnostics.layer_stats="));
        Assert.Empty(Suggest(run + "training.epochs="));
    }

    [Fact]
    public void Set_keys_come_from_the_schema_and_the_catalog_parameters()
    {
        const string run = "exprun run configs/quickstart.yaml --set ";

        Assert.Equal(["training.epochs="], Suggest(run + "training.ep"));
        Assert.Contains("training.early_stopping.patience=", Suggest(run + "training.early"));
        Assert.Contains("loss.delta=", Suggest(run + "loss."));
        Assert.Contains("loss.label_smoothing=", Suggest(run + "loss."));
        Assert.Contains("optimizer.lr=", Suggest(run + "optimizer.l"));
        Assert.Contains("model.hidden=", Suggest(run + "model.h"));
        Assert.Contains("dataset.samples=", Suggest(run + "dataset.s"));
        Assert.Contains("model.activation.negative_slope=", Suggest(run + "model.activation."));
        Assert.Contains("name=", Suggest(run + "na"));
        Assert.Contains("seed=", Suggest(run + "se"));
    }

    [Fact]
    public void Export_takes_set_keys_too()
    {
        Assert.Contains("loss=focal", Suggest("exprun export slurm configs/quickstart.yaml --set loss=f"));
        Assert.Contains("loss=focal", Suggest("exprun export k8s configs/quickstart.yaml --set loss=f"));
    }

    [Fact]
    public void Experiment_file_arguments_complete_folders_and_experiment_files_only()
    {
        _temp.Write("configs/a.yaml", "");
        _temp.Write("configs/b.json", "");
        _temp.Write("configs/c.yml", "");
        _temp.Write("configs/notes.txt", "");
        _temp.Write("configs/.hidden.yaml", "");
        Directory.CreateDirectory(_temp.Combine("configs", "more"));
        var folder = _temp.Combine("configs") + "/";

        Assert.Equal([folder + "a.yaml", folder + "b.json", folder + "c.yml", folder + "more/"], Paths("exprun run " + folder));
        Assert.Equal([folder + "a.yaml", folder + "b.json", folder + "c.yml", folder + "more/"], Paths("exprun validate " + folder));
        Assert.Equal([folder + "a.yaml"], Paths("exprun export slurm " + folder + "a"));
        Assert.Equal([folder + ".hidden.yaml"], Paths("exprun run " + folder + ".h"));
        Assert.Equal([_temp.Combine("configs") + "/"], Paths("exprun run " + _temp.Combine("con")));
    }

    [Fact]
    public void Results_folders_and_any_input_file_are_completed_where_a_command_takes_them()
    {
        _temp.Write("results/quickstart/summary.csv", "trial,status,seed\n");
        _temp.Write("rows.csv", "");
        var results = _temp.Combine("results") + "/";

        Assert.Equal([results + "quickstart/"], Paths("exprun compare " + results));
        Assert.Equal([results + "quickstart/"], Paths("exprun report " + results));
        Assert.Equal([results + "quickstart/"], Paths("exprun collect " + results));
        Assert.Equal([results + "quickstart/"], Paths("exprun run configs/quickstart.yaml -o " + results));
        Assert.Equal([_temp.Combine("rows.csv")], Paths("exprun predict " + results + "quickstart " + _temp.Combine("ro")));
    }

    [Fact]
    public void Metric_of_compare_and_report_offers_the_numeric_columns_of_the_folder_typed()
    {
        var dir = _temp.Combine("results", "sweep");
        _temp.Write("results/sweep/summary.csv",
            "trial,status,loss,model.activation,seed,epochs,best_val_loss,test_loss,test_accuracy,grad_norm_ratio,seconds,error\n" +
            "a,completed,mse,relu,1,3,0.5,0.5,0.9,0.1,1.0,\n");

        string[] numeric = ["best_val_loss", "epochs", "grad_norm_ratio", "seconds", "seed", "test_accuracy", "test_loss"];
        Assert.Equal(numeric, Suggest($"exprun compare {dir} --metric "));
        Assert.Equal(numeric, Suggest($"exprun report {dir} -m "));
        Assert.Equal(["test_accuracy", "test_loss"], Suggest($"exprun compare {dir} --metric test_"));
        Assert.Empty(Suggest($"exprun compare {_temp.Combine("nothing-here")} --metric "));
    }

    [Fact]
    public void Fixed_words_are_completed()
    {
        Assert.Equal(["higher", "lower"], Suggest("exprun compare results/x --order "));
        Assert.Equal(["csv", "markdown", "table"], Suggest("exprun compare results/x --format "));
        Assert.Equal(["best", "last"], Suggest("exprun predict t rows.csv --checkpoint "));
        Assert.Contains("bash", Suggest("exprun completion "));
    }

    private List<string> Paths(string line) => Suggest(line).Where(c => c.StartsWith(_temp.Path, StringComparison.Ordinal)).ToList();

    internal static List<string> Suggest(string line)
    {
        var output = new StringWriter { NewLine = "\n" };
        var error = new StringWriter { NewLine = "\n" };
        var code = ExprunCli.Run([$"[suggest:{line.Length}]", line], new CliContext(output, error, TimeProvider.System, TestRuntime.Instance));
        Assert.Equal(0, code);
        Assert.Equal("", error.ToString());
        return output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal).ToList();
    }

    public void Dispose() => _temp.Dispose();
}
