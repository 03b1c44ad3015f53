using ExperimentRunner.Core.Catalog;
using ExperimentRunner.Torch;

namespace ExperimentRunner.Cli;

/// <summary>
/// What commands write to, read the time from, and load and train with (one runtime per process); tests pass
/// in-memory writers and a fake clock.
/// </summary>
public sealed record CliContext(TextWriter Out, TextWriter Error, TimeProvider Clock, ExprunRuntime Runtime)
{
    public Catalogs Catalogs => Runtime.Catalogs;

    /// <summary>True when stdout is a terminal a live progress display can redraw.</summary>
    public bool Interactive { get; init; }

    public static CliContext ForConsole() =>
        new(Console.Out, Console.Error, TimeProvider.System, new ExprunRuntime(new Catalogs()))
        {
            Interactive = !Console.IsOutputRedirected && Environment.GetEnvironmentVariable("TERM") is not (null or "dumb") && Environment.GetEnvironmentVariable("CI") is null,
        };
}
