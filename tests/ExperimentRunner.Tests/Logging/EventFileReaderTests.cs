using System.Text;
using ExperimentRunner.Torch.Logging.TensorBoard;
using TorchSharp;

namespace ExperimentRunner.Tests.Logging;

/// <summary>The tests' own event-file reader is itself checked: against published CRC32C values and against event files TorchSharp writes.</summary>
[Collection(TorchCollection.Name)]
public sealed class EventFileReaderTests : TorchTest
{
    [Theory]
    [InlineData("123456789", 0xE3069283u)] // the check value of CRC-32C
    [InlineData("", 0x00000000u)]
    public void Crc32C_matches_the_published_check_values(string text, uint expected)
    {
        var bytes = Encoding.ASCII.GetBytes(text);
        Assert.Equal(expected, EventFileReader.Crc32C(bytes, 0, bytes.Length));
    }

    [Fact]
    public void Crc32C_matches_the_iscsi_test_vectors()
    {
        // RFC 3720, appendix B.4: 32 bytes of zeros, of ones, ascending and descending.
        Assert.Equal(0x8A9136AAu, EventFileReader.Crc32C(new byte[32], 0, 32));
        Assert.Equal(0x62A8AB43u, EventFileReader.Crc32C(Enumerable.Repeat((byte)0xFF, 32).ToArray(), 0, 32));
        Assert.Equal(0x46DD794Eu, EventFileReader.Crc32C(Enumerable.Range(0, 32).Select(i => (byte)i).ToArray(), 0, 32));
        Assert.Equal(0x113FDB5Cu, EventFileReader.Crc32C(Enumerable.Range(0, 32).Select(i => (byte)(31 - i)).ToArray(), 0, 32));
    }

    [Fact]
    public void Exprun_computes_the_same_crc32c_on_every_length()
    {
        var random = new Random(5);
        for (var length = 0; length < 70; length++)
        {
            var data = new byte[length];
            random.NextBytes(data);
            Assert.Equal(EventFileReader.Crc32C(data, 0, length), TfRecord.Crc32C(data));
        }
    }

    [Fact]
    public void It_reads_what_TorchSharps_summary_writer_writes()
    {
        var writer = torch.utils.tensorboard.SummaryWriter(Temp.Combine("torchsharp"));
        writer.add_scalar("loss/train", 0.25f, 3, walltime: 1_700_000_000);
        writer.add_scalar("loss/train", 0.125f, 4, walltime: 1_700_000_001);

        var file = EventFileReader.Read(Assert.Single(Directory.GetFiles(Temp.Combine("torchsharp"))));

        Assert.Equal(0, file.TornTailBytes);
        Assert.Equal("brain.Event:2", file.Events[0].FileVersion);
        Assert.Equal([(3L, 1_700_000_000.0, 0.25f), (4L, 1_700_000_001.0, 0.125f)],
            file.Events.Skip(1).Select(e => (e.Step, e.WallTime, Assert.Single(e.Values).SimpleValue!.Value)));
        Assert.All(file.Events.Skip(1), e => Assert.Equal("loss/train", e.Values[0].Tag));
    }

    [Fact]
    public void A_bad_checksum_is_an_error_and_a_short_tail_is_reported_as_torn()
    {
        var path = Temp.Combine("events.out.tfevents.1.test");
        var run = new TensorBoardRun(Temp.Path, TimeProvider.System);
        run.Append([TensorBoardEvent.ScalarAt("x", 1, 10, 0.5)]);
        var written = Assert.Single(run.Files());
        var bytes = File.ReadAllBytes(written);

        File.WriteAllBytes(path, [.. bytes, 1, 2, 3]);
        Assert.Equal(3, EventFileReader.Read(path).TornTailBytes);

        bytes[^6] ^= 0x10; // a bit of the last record's data
        File.WriteAllBytes(path, bytes);
        Assert.Throws<InvalidDataException>(() => EventFileReader.Read(path));
    }
}
