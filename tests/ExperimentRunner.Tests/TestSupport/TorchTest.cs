using ExperimentRunner.Torch.Native;

namespace ExperimentRunner.Tests.TestSupport;

/// <summary>
/// Base of tests that touch libtorch: loads the native compatibility shim before anything else, and gives
/// each test its own temporary folder. Derived classes must also carry <c>[Collection(TorchCollection.Name)]</c>.
/// </summary>
public abstract class TorchTest : IDisposable
{
    protected TorchTest()
    {
        NativeCompat.EnsureLoaded();
        Temp = new TempDir();
    }

    protected TempDir Temp { get; }

    /// <summary>Where trials of this test write: &lt;temp&gt;/results/&lt;name&gt;.</summary>
    protected string ExperimentDir(string name = "tiny") => Temp.Combine("results", name);

    public void Dispose()
    {
        Temp.Dispose();
        GC.SuppressFinalize(this);
    }
}
