using System.Diagnostics;
using Xunit.Abstractions;

namespace ExperimentRunner.Tests.Fuzz;

/// <summary>
/// Issue 14 item 5: a few hundred seeded mutants of the shipped experiment files (deleted, repeated and retyped keys,
/// extreme numbers, deep nesting, alias bombs, binary junk, truncation, bad UTF-8, NUL, device paths, long names, huge
/// layers, exploding sweeps, broken JSON) through <c>exprun validate</c>. Every run must end in time with exit 0 or 2,
/// no stack trace, an error line naming the file when it refuses, a refusal where the damage leaves no valid file, and
/// nothing written. The table per kind goes to the test output.
/// </summary>
public sealed class ConfigFuzzTests(ITestOutputHelper output)
{
    /// <summary>The corpus CI runs; EXPRUN_FUZZ_SEED and EXPRUN_FUZZ_PER_KIND explore others (a failure names its mutant).</summary>
    public static int Seed { get; } = FromEnvironment("EXPRUN_FUZZ_SEED", 14);

    public static int PerKind { get; } = FromEnvironment("EXPRUN_FUZZ_PER_KIND", 17);

    private static int FromEnvironment(string name, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), out var value) ? value : fallback;
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(10);

    [Fact]
    public void Validate_ends_every_mutant_cleanly_and_in_time()
    {
        using var scene = new FuzzScene();
        var runner = FuzzRunner.FromEnvironment();
        var mutants = new ConfigMutator(Seed, FuzzScene.ShippedFiles(), scene.Fifo).Make(PerKind);
        var clock = Stopwatch.StartNew();

        var judged = new List<Judged>();
        foreach (var mutant in mutants)
        {
            var path = scene.Write(mutant);
            var before = scene.Snapshot();
            var result = runner.Run(Limit, "validate", path);
            judged.Add(FuzzVerdict.Validate(mutant, path, result, wroteFiles: !before.SetEquals(scene.Snapshot())));
        }

        output.WriteLine($"{mutants.Count} mutants (seed {Seed}) in {clock.Elapsed.TotalSeconds:0.0} s");
        output.WriteLine(FuzzVerdict.Table(judged));
        output.WriteLine("slowest: " + string.Join("; ", judged.OrderByDescending(j => j.Result.Elapsed).Take(5).Select(j => $"#{j.Mutant.Index} {j.Mutant.Kind} {j.Result.Elapsed.TotalSeconds:0.00} s")));
        Assert.True(mutants.Count >= 300 || PerKind != 17, $"only {mutants.Count} mutants");
        Assert.True(judged.All(j => j.Verdict is Verdict.Accepted or Verdict.CleanRefusal), FuzzVerdict.Failures(judged));
        Assert.True(clock.Elapsed < runner.CorpusBudget, $"the corpus took {clock.Elapsed.TotalSeconds:0.0} s");
    }

    [Fact]
    public void The_corpus_is_the_same_for_the_same_seed_and_covers_every_kind()
    {
        var bases = FuzzScene.ShippedFiles();
        var first = new ConfigMutator(Seed, bases, "/tmp/pipe").Make(PerKind);
        var second = new ConfigMutator(Seed, bases, "/tmp/pipe").Make(PerKind);

        Assert.Equal(first.Select(m => Convert.ToHexString(m.Content)), second.Select(m => Convert.ToHexString(m.Content)));
        Assert.Equal(Enum.GetValues<MutationKind>(), first.Select(m => m.Kind).Distinct());
        Assert.True(first.Select(m => m.Base).Distinct().Count() >= 8, "mutants should come from most shipped files");
    }
}
