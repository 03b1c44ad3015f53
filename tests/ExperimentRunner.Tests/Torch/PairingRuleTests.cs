using ExperimentRunner.Core.Catalog;
using ExperimentRunner.Core.Config;
using ExperimentRunner.Core.Data;
using ExperimentRunner.Core.Problems;
using ExperimentRunner.Tests.TestSupport;
using ExperimentRunner.Torch.Data;
using static TorchSharp.torch;

namespace ExperimentRunner.Tests.Torch;

/// <summary>
/// The loss / output-activation rules, through the loader (what the user sees), and the target form each loss
/// gets from <see cref="TensorSplit"/> (one-hot floats or class indices).
/// </summary>
[Collection(TorchCollection.Name)]
public sealed class PairingRuleTests : TorchTest
{
    private IReadOnlyList<Problem> Errors(params string[] overrides) =>
        Experiments.Problems(Experiments.Tiny, Temp.Path, overrides).Where(p => p.Severity == Severity.Error).ToList();

    [Fact]
    public void Nll_after_softmax_is_an_error()
    {
        var error = Assert.Single(Errors("loss=nll", "model.output_activation=softmax"));
        Assert.Equal("model.output_activation", error.Path);
        Assert.Equal("'nll' expects log-probabilities but 'softmax' produces probabilities; use log_softmax (or auto)", error.Message);
        Assert.StartsWith("--set model.output_activation=softmax: error: model.output_activation: 'nll' expects", error.ToString());
    }

    [Fact]
    public void Nll_after_log_softmax_is_fine()
    {
        var trial = Experiments.Single(Experiments.Tiny, Temp.Path, "loss=nll", "model.output_activation=log_softmax");
        Assert.Empty(trial.Warnings);
        Assert.Equal("log_softmax", trial.Spec.Model.OutputActivation.Name);
    }

    [Fact]
    public void Bce_on_identity_output_is_an_error()
    {
        var error = Assert.Single(Errors("loss=bce", "model.output_activation=identity"));
        Assert.Equal("model.output_activation", error.Path);
        Assert.Equal("'bce' expects probabilities in [0, 1] but 'identity' produces unbounded values; use sigmoid (or auto), or bce_with_logits on raw logits", error.Message);
    }

    [Fact]
    public void Bce_on_sigmoid_output_is_fine()
    {
        var trial = Experiments.Single(Experiments.Tiny, Temp.Path, "loss=bce", "model.output_activation=sigmoid");
        Assert.Empty(trial.Warnings);
    }

    [Fact]
    public void Cross_entropy_after_softmax_loads_with_an_applied_twice_warning()
    {
        var trial = Experiments.Single(Experiments.Tiny, Temp.Path, "loss=cross_entropy", "model.output_activation=softmax");
        var warning = Assert.Single(trial.Warnings);
        Assert.Equal(Severity.Warning, warning.Severity);
        Assert.Equal("model.output_activation", warning.Path);
        Assert.Equal("'cross_entropy' applies softmax itself: with 'softmax' output, softmax is applied twice and gradients shrink; use identity (auto)", warning.Message);
        Assert.Contains("applied twice", warning.ToString());
        Assert.Equal("softmax", trial.Spec.Model.OutputActivation.Name);
    }

    [Fact]
    public void Cross_entropy_on_a_regression_dataset_is_an_error()
    {
        var error = Assert.Single(Errors("dataset={name: sine, samples: 200}", "loss=cross_entropy"));
        Assert.Equal("loss", error.Path);
        Assert.Equal("'cross_entropy' needs class labels but dataset 'sine' is a regression task; use mse, l1, smooth_l1, huber, log_cosh or poisson_nll", error.Message);
    }

    [Theory]
    [InlineData("cross_entropy", "identity")]
    [InlineData("nll", "log_softmax")]
    [InlineData("bce", "sigmoid")]
    [InlineData("kl_div", "log_softmax")]
    [InlineData("mse", "identity")]
    [InlineData("bce_with_logits", "identity")]
    [InlineData("focal", "identity")]
    [InlineData("multi_margin", "identity")]
    public void Auto_output_resolves_to_what_the_loss_expects(string loss, string expected)
    {
        var trial = Experiments.Single(Experiments.Tiny, Temp.Path, $"loss={loss}", "model.output_activation=auto");
        Assert.Equal(expected, trial.Spec.Model.OutputActivation.Name);
        Assert.Empty(trial.Warnings);
        // config.yaml shows what ran, not "auto".
        Assert.Contains($"output_activation: {expected}", ConfigWriter.ToYaml(trial.Spec.Tree));
    }

    [Fact]
    public void Every_loss_resolves_auto_to_an_output_it_accepts_without_a_problem()
    {
        foreach (var loss in Catalogs.Default.Losses.Entries)
        {
            var trial = Experiments.Single(Experiments.Tiny, Temp.Path, $"loss={loss.Name}");
            Assert.Equal(loss.AutoOutput, trial.Spec.Model.OutputActivation.Name);
            Assert.Empty(trial.Warnings);
        }
    }

    [Theory]
    [InlineData("mse")]
    [InlineData("bce")]
    [InlineData("kl_div")]
    public void One_hot_float_targets_for_losses_that_compare_distributions(string loss)
    {
        using var split = Split(loss);
        Assert.Equal(ScalarType.Float32, split.Targets.dtype);
        Assert.Equal([split.Rows, 3L], split.Targets.shape);
        // Each row is the one-hot vector of its label.
        using var labels = split.Targets.argmax(1);
        Assert.Equal(split.Data.Labels!, labels.data<long>().ToArray());
        using var sums = split.Targets.sum(1);
        Assert.True(sums.eq(1f).all().item<bool>());
    }

    [Theory]
    [InlineData("cross_entropy")]
    [InlineData("nll")]
    [InlineData("focal")]
    [InlineData("multi_margin")]
    public void Class_index_targets_for_losses_that_take_labels(string loss)
    {
        using var split = Split(loss);
        Assert.Equal(ScalarType.Int64, split.Targets.dtype);
        Assert.Equal([(long)split.Rows], split.Targets.shape);
        Assert.Equal(split.Data.Labels!, split.Targets.data<long>().ToArray());
    }

    [Fact]
    public void Every_loss_gets_the_target_form_its_catalog_entry_declares()
    {
        foreach (var loss in Catalogs.Default.Losses.Entries)
        {
            using var split = Split(loss.Name);
            var oneHot = loss.ClassTarget == TargetForm.OneHot;
            Assert.True(oneHot ? split.Targets.dim() == 2 : split.Targets.dim() == 1, $"{loss.Name}: targets of shape [{string.Join(", ", split.Targets.shape)}]");
            Assert.Equal(oneHot ? ScalarType.Float32 : ScalarType.Int64, split.Targets.dtype);
        }
    }

    [Fact]
    public void Regression_targets_are_float_columns()
    {
        var trial = Experiments.Single(Experiments.Tiny, Temp.Path, "dataset={name: sine, samples: 200}", "loss=mse");
        var data = ExperimentRunner.Core.Catalog.Catalogs.Default.Datasets.Get(trial.Spec.Dataset.Name).Provider.Load(trial.Spec.Dataset, trial.Spec.Seed, Temp.Path);
        using var split = TensorSplit.Create(data, Catalogs.Default.Losses.Get("mse"));
        Assert.Equal(ScalarType.Float32, split.Targets.dtype);
        Assert.Equal([200L, 1L], split.Targets.shape);
        Assert.Equal(data.Values!, split.Targets.data<float>().ToArray());
    }

    private TensorSplit Split(string loss)
    {
        var trial = Experiments.Single(Experiments.Tiny, Temp.Path, $"loss={loss}");
        var data = ExperimentRunner.Core.Catalog.Catalogs.Default.Datasets.Get(trial.Spec.Dataset.Name).Provider.Load(trial.Spec.Dataset, trial.Spec.Seed, Temp.Path);
        Assert.Equal(3, data.Classes);
        return TensorSplit.Create(data, Catalogs.Default.Losses.Get(loss));
    }
}
