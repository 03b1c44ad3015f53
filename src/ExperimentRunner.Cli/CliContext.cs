using ExperimentRunner.Core.Catalog;

namespace ExperimentRunner.Cli;

/// <summary>What commands write to and read the time from; tests pass in-memory writers and a fake clock.</summary>
public sealed record CliContext(TextWriter Out, TextWriter Error, TimeProvider Clock, Catalogs Catalogs)
{
    /// <summary>True when stdout is a terminal a live progress display can redraw.</summary>
    public bool Interactive { get; init; }

    public static CliContext ForConsole() =>
        new(Console.Out, Console.Error, TimeProvider.System, Catalogs.Default)
        {
            Interactive = !Console.IsOutputRedirected && Environment.GetEnvironmentVariable("TERM") is not (null or "dumb") && Environment.GetEnvironmentVariable("CI") is null,
        };
}
