namespace ExperimentRunner.Core.IO;

/// <summary>
/// A test seam for failures no test can cause for real without root tricks (a full disk): while a scope is open,
/// <see cref="AtomicFile"/> writes of matching files fail as the operating system would fail them. The scope is
/// async-local, so it affects only the code the test runs, never tests running beside it.
/// </summary>
internal static class WriteFaults
{
    private static readonly AsyncLocal<Func<string, IOException?>?> Current = new();

    /// <summary>Writes of files whose path <paramref name="fails"/> accepts throw <c>IOException(<paramref name="message"/>)</c> until disposed.</summary>
    public static IDisposable Inject(Func<string, bool> fails, string message = "No space left on device")
    {
        var previous = Current.Value;
        Current.Value = path => fails(path) ? new IOException($"{message} : '{path}'") : previous?.Invoke(path);
        return new Scope(() => Current.Value = previous);
    }

    public static void ThrowIfInjected(string path)
    {
        if (Current.Value?.Invoke(path) is { } failure) throw failure;
    }

    private sealed class Scope(Action end) : IDisposable
    {
        public void Dispose() => end();
    }
}
