using ExperimentRunner.Tests.TestSupport;

namespace ExperimentRunner.Tests.Limits;

/// <summary>
/// Integer settings are 32-bit counts downstream: 99999999999 as a batch size, a patience or a layer width used to
/// pass binding and throw an OverflowException (validate, or run --dry-run) with a stack trace. They are out of range.
/// </summary>
public sealed class IntegerRangeTests : IDisposable
{
    private readonly TempDir _temp = new();

    private string Error(params string[] overrides) => Assert.Single(Experiments.Problems(Experiments.Tiny, _temp.Path, overrides)).ToString();

    [Theory]
    [InlineData("training.batch_size=99999999999", "training.batch_size: 99999999999 is out of range; allowed: >= 1 and <= 2147483647")]
    [InlineData("training.eval_batch_size=-99999999999", "training.eval_batch_size: -99999999999 is out of range; allowed: >= 1 and <= 2147483647")]
    [InlineData("diagnostics.every=3000000000", "diagnostics.every: 3000000000 is out of range; allowed: >= 1 and <= 2147483647")]
    [InlineData("training.early_stopping.patience=99999999999", "training.early_stopping.patience: 99999999999 is out of range; allowed: >= 1 and <= 2147483647")]
    [InlineData("scheduler={name: step, step_size: 99999999999}", "scheduler.step_size: 99999999999 is out of range; allowed: >= 1 and <= 2147483647")]
    [InlineData("model={architecture: sequential, layers: [{type: conv2d, out_channels: 99999999999}]}", "model.layers[0].out_channels: 99999999999 is out of range; allowed: >= 1 and <= 2147483647")]
    public void Values_beyond_32_bits_are_out_of_range(string set, string message)
    {
        Assert.Equal($"--set {set}: error: {message}", Error(set));
    }

    [Fact]
    public void A_flatten_beyond_a_tensor_dimension_is_a_shape_error_not_an_overflow()
    {
        const string shapes = "dataset={name: shapes, size: 128}";

        Assert.Equal(
            "--set model={architecture: cnn, channels: [2147483647], pool: none, hidden: []}: error: model.channels: flatten: flattens [2147483647, 128, 128] into 35184372072448 values per example, more than a tensor dimension holds (2147483647); use fewer channels, less padding or more pooling before it",
            Error(shapes, "model={architecture: cnn, channels: [2147483647], pool: none, hidden: []}"));
        Assert.Equal(
            "--set model={architecture: cnn, channels: [8], padding: 2000000000}: error: model.channels: flatten: flattens [8, 1073741823, 1073741823] into 9223372019674910000 values per example, more than a tensor dimension holds (2147483647); use fewer channels, less padding or more pooling before it",
            Error(shapes, "model={architecture: cnn, channels: [8], padding: 2000000000}"));
    }

    public void Dispose() => _temp.Dispose();
}
