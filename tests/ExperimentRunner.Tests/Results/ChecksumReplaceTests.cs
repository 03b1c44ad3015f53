using ExperimentRunner.Core.IO;
using ExperimentRunner.Core.Results;
using ExperimentRunner.Tests.TestSupport;

namespace ExperimentRunner.Tests.Results;

/// <summary>
/// Replacing a recorded weights file takes a rename and two checksum records; a kill between any two steps must leave
/// a trial folder that verifies (so --resume takes it), and a file that is neither the old nor the new one must not.
/// </summary>
public sealed class ChecksumReplaceTests
{
    private sealed class Folder : IDisposable
    {
        private readonly TempDir _temp = new();

        public Folder()
        {
            Directory.CreateDirectory(Checkpoints);
            File.WriteAllText(Best, "old weights");
            CheckpointFiles.Record(Checkpoints, "best.safetensors", FileDigest.Of(Best));
        }

        public string Trial => _temp.Path;
        public string Checkpoints => CheckpointFiles.Dir(_temp.Path);
        public string Best => Path.Combine(Checkpoints, "best.safetensors");

        /// <summary>The new file written under a temporary name and announced, not yet renamed: where a kill can land.</summary>
        public string Announce(string text)
        {
            var tmp = Path.Combine(Checkpoints, ".best.safetensors.tmp");
            File.WriteAllText(tmp, text);
            CheckpointFiles.Replace(Checkpoints, "best.safetensors", FileDigest.Of(tmp));
            return tmp;
        }

        public void Dispose() => _temp.Dispose();
    }

    [Fact]
    public void Killed_after_the_announcement_before_the_rename_the_old_file_still_verifies()
    {
        using var folder = new Folder();
        folder.Announce("new weights");
        Assert.Null(CheckpointFiles.Verify(folder.Trial, finished: false));
    }

    [Fact]
    public void Killed_after_the_rename_before_the_last_record_the_new_file_verifies()
    {
        using var folder = new Folder();
        File.Move(folder.Announce("new weights"), folder.Best, overwrite: true);
        Assert.Null(CheckpointFiles.Verify(folder.Trial, finished: false));
    }

    [Fact]
    public void A_file_that_is_neither_the_old_nor_the_new_one_is_named_damaged()
    {
        using var folder = new Folder();
        folder.Announce("new weights");
        File.WriteAllText(folder.Best, "other bytes");
        var damage = CheckpointFiles.Verify(folder.Trial, finished: false);
        Assert.NotNull(damage);
        Assert.Equal("checkpoints/best.safetensors", damage.File);
        Assert.StartsWith("changed since it was written", damage.Reason);
    }

    [Fact]
    public void The_finished_record_holds_only_the_new_digest_as_before()
    {
        using var folder = new Folder();
        File.Move(folder.Announce("new weights"), folder.Best, overwrite: true);
        CheckpointFiles.Record(folder.Checkpoints, "best.safetensors", FileDigest.Of(folder.Best));
        var text = File.ReadAllText(Path.Combine(folder.Checkpoints, CheckpointFiles.ChecksumsFile));
        Assert.DoesNotContain("replacing", text);
        File.WriteAllText(folder.Best, "old weights");
        Assert.NotNull(CheckpointFiles.Verify(folder.Trial, finished: true));
    }

    [Fact]
    public void A_replace_cut_short_twice_keeps_the_file_actually_in_place_as_the_valid_one()
    {
        using var folder = new Folder();
        folder.Announce("second weights");
        // Killed before the rename: "old weights" is in place. The next checkpoint replaces it again.
        var tmp = folder.Announce("third weights");
        Assert.Null(CheckpointFiles.Verify(folder.Trial, finished: false));
        File.Move(tmp, folder.Best, overwrite: true);
        Assert.Null(CheckpointFiles.Verify(folder.Trial, finished: false));
        File.WriteAllText(folder.Best, "second weights");
        Assert.NotNull(CheckpointFiles.Verify(folder.Trial, finished: false));
    }

    [Fact]
    public void A_file_unrecorded_but_not_yet_deleted_does_not_stop_a_resume()
    {
        using var folder = new Folder();
        CheckpointFiles.Unrecord(folder.Checkpoints, "best.safetensors");
        // Killed before the delete: the file is there, no longer recorded; an unfinished trial is not refused for it.
        Assert.Null(CheckpointFiles.Verify(folder.Trial, finished: false));
        Assert.DoesNotContain("best.safetensors", File.ReadAllText(Path.Combine(folder.Checkpoints, CheckpointFiles.ChecksumsFile)));
    }
}
