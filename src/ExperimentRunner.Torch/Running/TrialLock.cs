namespace ExperimentRunner.Torch.Running;

/// <summary>
/// An exclusive lock on a trial folder (an OS file lock, released when the process dies), so two sweeps
/// pointed at the same output folder never train the same trial at once.
/// </summary>
public sealed class TrialLock : IDisposable
{
    private const string FileName = ".lock";
    private readonly FileStream _stream;

    private TrialLock(FileStream stream) => _stream = stream;

    public static TrialLock? TryAcquire(string trialDir)
    {
        Directory.CreateDirectory(trialDir);
        try
        {
            // FileShare.None takes an exclusive flock on Unix; a second holder gets an IOException at once.
            return new TrialLock(new FileStream(Path.Combine(trialDir, FileName), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.DeleteOnClose));
        }
        catch (IOException)
        {
            return null;
        }
    }

    public void Dispose() => _stream.Dispose();
}
