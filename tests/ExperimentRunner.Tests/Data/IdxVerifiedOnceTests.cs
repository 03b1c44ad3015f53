using ExperimentRunner.Core.Data;
using ExperimentRunner.Tests.TestSupport;

namespace ExperimentRunner.Tests.Data;

/// <summary>
/// A limited read proves the rest of the file whole only the first time a process reads that file: the next trials of a
/// sweep skip it. A file that changed since (another size or time) is proved again, so damage is still found.
/// </summary>
public sealed class IdxVerifiedOnceTests : IDisposable
{
    private readonly TempDir _temp = new();

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_file_truncated_after_a_whole_read_is_still_found_truncated(bool gzip)
    {
        var path = _temp.Combine(gzip ? "images.gz" : "images");
        var whole = IdxFiles.Bytes(0x08, [4, 2], [1, 2, 3, 4, 5, 6, 7, 8]);
        IdxFiles.Write(path, whole, gzip);
        Assert.Equal(new float[] { 1, 2 }, IdxReader.Read("images", path, limit: 1).Values);
        // Read again unchanged: the same values (now without reading past them).
        Assert.Equal(new float[] { 1, 2 }, IdxReader.Read("images", path, limit: 1).Values);

        IdxFiles.Write(path, whole[..^3], gzip);
        var error = Assert.Throws<DatasetFileException>(() => IdxReader.Read("images", path, limit: 1));
        Assert.Equal("images: truncated: the header promises 4 x 2 values of 1 byte (20 bytes with the header) but the file has 17", error.Message);
    }

    public void Dispose() => _temp.Dispose();
}
