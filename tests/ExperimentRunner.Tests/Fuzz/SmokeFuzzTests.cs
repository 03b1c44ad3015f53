using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using ExperimentRunner.Tests.TestSupport;
using Xunit.Abstractions;

namespace ExperimentRunner.Tests.Fuzz;

/// <summary>
/// The second half of the fuzz test: a seeded sample of the mutants that pass <c>validate</c> is trained with
/// <c>validate --smoke</c> (one epoch on 64 rows). A file <c>validate</c> accepts must then train, or fail its trial
/// with a message; never crash, hang, or leave its scratch folder behind.
/// </summary>
[Collection(TorchCollection.Name)]
public sealed class SmokeFuzzTests(ITestOutputHelper output)
{
    private const int Sample = 12;
    // Smoke runs of sweeps train every trial: keep to mutants with few, so the sample stays within seconds.
    private const int MaxTrials = 3;
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(60);

    [Fact]
    public void Smoke_runs_of_valid_mutants_train_or_fail_their_trial_cleanly()
    {
        using var scene = new FuzzScene();
        var runner = FuzzRunner.FromEnvironment();
        var mutants = new ConfigMutator(ConfigFuzzTests.Seed, FuzzScene.ShippedFiles(), scene.Fifo).Make(ConfigFuzzTests.PerKind);
        var candidates = mutants.Where(m => FewTrials(runner, scene, m)).ToList();
        var sample = candidates.OrderBy(m => m.Index * 7919 % 104729).Take(Sample).ToList();
        var clock = Stopwatch.StartNew();

        var judged = new List<Judged>();
        runner.UseTempFolder(scene.TempFolder);
        try
        {
            foreach (var mutant in sample)
            {
                var path = scene.Write(mutant);
                var before = scene.Snapshot();
                var result = runner.Run(Limit, "validate", "--smoke", path);
                judged.Add(FuzzVerdict.Smoke(mutant, path, result, wroteFiles: !before.SetEquals(scene.Snapshot())));
            }
        }
        finally
        {
            runner.RestoreTempFolder();
        }

        output.WriteLine($"{candidates.Count} of {mutants.Count} mutants validate with at most {MaxTrials} trials; smoke of {sample.Count} in {clock.Elapsed.TotalSeconds:0.0} s");
        output.WriteLine(FuzzVerdict.Table(judged, refused: "clean exit 1"));
        Assert.Equal(Sample, sample.Count);
        Assert.True(judged.All(j => j.Verdict is Verdict.Accepted or Verdict.CleanRefusal), FuzzVerdict.Failures(judged));
        Assert.Empty(Directory.EnumerateFileSystemEntries(scene.TempFolder));
    }

    /// <summary>Whether <c>validate</c> accepts the mutant with at most <see cref="MaxTrials"/> trials ("ok PATH (N trials)").</summary>
    private static bool FewTrials(FuzzRunner runner, FuzzScene scene, Mutant mutant)
    {
        var path = scene.Write(mutant);
        try
        {
            var result = runner.Run(TimeSpan.FromSeconds(10), "validate", path);
            var match = Regex.Match(result.Out, $@"^ok {Regex.Escape(path)} \((\d+) trials?\)", RegexOptions.Multiline);
            return result.Code == 0 && match.Success && int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) <= MaxTrials;
        }
        finally
        {
            File.Delete(path);
        }
    }
}
