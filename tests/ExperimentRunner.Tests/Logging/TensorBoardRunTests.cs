using ExperimentRunner.Torch.Logging.TensorBoard;
using Microsoft.Extensions.Time.Testing;

namespace ExperimentRunner.Tests.Logging;

/// <summary>The append-only run folder on its own (no training): what is written, where, and never twice.</summary>
public sealed class TensorBoardRunTests : IDisposable
{
    private readonly TempDir _temp = new();
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2030, 1, 2, 3, 4, 5, TimeSpan.Zero));

    public void Dispose() => _temp.Dispose();

    private string Dir => _temp.Combine("run");

    private static TensorBoardEvent S(string tag, long step, double value) => TensorBoardEvent.ScalarAt(tag, step, 100 + step, value);

    [Fact]
    public void Events_already_written_are_dropped_and_zero_is_a_value()
    {
        var run = new TensorBoardRun(Dir, _clock);
        run.Append([S("a", 1, 0.0), S("b", 1, -2.5)]);
        run.Append([S("a", 1, 9.0), S("a", 2, 1.5), S("a", 2, 7.0)]);
        run.Append([S("a", 2, 3.0)]); // nothing new: no write at all

        var file = EventFileReader.Read(Assert.Single(run.Files()));
        Assert.Equal(Path.Combine(Dir, "events.out.tfevents.1893553445.0001.exprun"), file.Path);
        Assert.Equal("brain.Event:2", file.Events[0].FileVersion);
        Assert.Equal(1893553445.0, file.Events[0].WallTime);
        Assert.Equal([("a", 1L, 101.0, 0.0f), ("b", 1L, 101.0, -2.5f), ("a", 2L, 102.0, 1.5f)],
            file.Events.Skip(1).Select(e => (Assert.Single(e.Values).Tag, e.Step, e.WallTime, e.Values[0].SimpleValue!.Value)));
    }

    [Fact]
    public void A_later_attempt_writes_only_what_earlier_files_lack_in_a_file_that_sorts_after_them()
    {
        new TensorBoardRun(Dir, _clock).Append([S("a", 1, 1), S("a", 2, 2)]);
        // The clock went back (another machine): the name still sorts after the first file.
        _clock.AdjustTime(_clock.GetUtcNow().AddHours(-1));
        var second = new TensorBoardRun(Dir, _clock);
        second.LoadWritten();
        second.Append([S("a", 1, 1), S("a", 2, 2), S("a", 3, 3)]);

        var files = second.Files();
        Assert.Equal(["events.out.tfevents.1893553445.0001.exprun", "events.out.tfevents.1893553445.0002.exprun"], files.Select(Path.GetFileName));
        var later = EventFileReader.Read(files[1]);
        Assert.Equal([("a", 3L)], later.Events.Skip(1).Select(e => (e.Values[0].Tag, e.Step)));
    }

    [Fact]
    public void Clear_removes_the_event_files_and_forgets_what_they_held()
    {
        var run = new TensorBoardRun(Dir, _clock);
        run.Append([S("a", 1, 1)]);
        var fresh = new TensorBoardRun(Dir, _clock);
        fresh.LoadWritten();
        fresh.Clear();
        Assert.Empty(fresh.Files());
        fresh.Append([S("a", 1, 4)]);
        var file = EventFileReader.Read(Assert.Single(fresh.Files()));
        Assert.Equal(4f, file.Events[1].Values[0].SimpleValue);
    }

    [Fact]
    public void Plugin_data_is_written_as_metadata_without_a_value()
    {
        var run = new TensorBoardRun(Dir, _clock);
        run.Append([TensorBoardEvent.PluginAt(HParamsTags.SessionEnd, 0, 5, HParamsPlugin.SessionEnd(SessionStatus.Failure, 7.5))]);

        var evt = EventFileReader.Read(Assert.Single(run.Files())).Events[1];
        Assert.Equal(0, evt.Step);
        var value = Assert.Single(evt.Values);
        Assert.Equal(HParamsTags.SessionEnd, value.Tag);
        Assert.Null(value.SimpleValue);
        Assert.Equal("hparams", value.PluginName);
        Assert.Equal((0L, (object)new SessionEndInfo(2, 7.5)), HParamsReader.Parse(value.PluginContent!));
    }
}
