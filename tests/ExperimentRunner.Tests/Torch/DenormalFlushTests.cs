using ExperimentRunner.Core.Results;
using ExperimentRunner.Tests.TestSupport;
using ExperimentRunner.Torch.Native;
using static TorchSharp.torch;

namespace ExperimentRunner.Tests.Torch;

/// <summary>
/// Trials flush denormal floats to zero on their training thread (Adam's averages of dead units otherwise decay into
/// the denormal range and slow every later step 2x; README: Performance), and run.json says so.
/// </summary>
[Collection(TorchCollection.Name)]
public sealed class DenormalFlushTests : TorchTest
{
    // Below float32's smallest normal (1.18e-38): a denormal.
    private const float Denormal = 1e-39f;

    [Fact]
    public void Flushing_turns_denormal_results_into_zero_and_keeping_restores_them()
    {
        OnOwnThread(() =>
        {
            using var x = tensor(new[] { Denormal, 1f });
            Assert.True(DenormalFlush.Set(true));
            using (var flushed = x * 1f) Assert.Equal(new[] { 0f, 1f }, flushed.data<float>().ToArray());
            DenormalFlush.Set(false);
            using (var kept = x * 1f) Assert.Equal(new[] { Denormal, 1f }, kept.data<float>().ToArray());
        });
    }

    [Fact]
    public void A_trial_records_that_it_flushed_denormals_and_the_opt_out_is_honoured()
    {
        var trial = Experiments.Single("""
            name: flush
            seed: 1
            dataset: {name: spirals, samples: 60, classes: 3}
            model: {architecture: mlp, hidden: [8], activation: relu}
            loss: cross_entropy
            training: {epochs: 1, batch_size: 16}
            """, Temp.Path);
        RunManifest? flushed = null;
        OnOwnThread(() => flushed = TrialHarness.Run(trial, ExperimentDir("on")));
        Assert.True(flushed!.FlushDenormal);

        // The opt-out is read per trial, so it can be measured in one process.
        Environment.SetEnvironmentVariable(DenormalFlush.OptOutVariable, "keep");
        try
        {
            Assert.False(DenormalFlush.OnThisThread());
        }
        finally
        {
            Environment.SetEnvironmentVariable(DenormalFlush.OptOutVariable, null);
        }
    }

    // A thread of its own: the flag belongs to the thread, and the test host's threads are shared with other tests.
    private static void OnOwnThread(Action body)
    {
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                body();
            }
            catch (Exception ex)
            {
                failure = ex;
            }
        });
        thread.Start();
        thread.Join();
        if (failure is not null) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failure);
    }
}
