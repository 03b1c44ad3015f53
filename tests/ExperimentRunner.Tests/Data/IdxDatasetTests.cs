using System.Buffers.Binary;
using System.IO.Compression;
using ExperimentRunner.Core.Catalog;
using ExperimentRunner.Core.Data;
using ExperimentRunner.Tests.TestSupport;

namespace ExperimentRunner.Tests.Data;

/// <summary>Writes small IDX files (MNIST's format) for tests, plain or gzipped.</summary>
internal static class IdxFiles
{
    public static byte[] Bytes(byte type, int[] dims, IReadOnlyList<double> values)
    {
        var size = type switch { 0x08 or 0x09 => 1, 0x0B => 2, 0x0C or 0x0D => 4, _ => 8 };
        var bytes = new byte[4 + 4 * dims.Length + size * values.Count];
        bytes[2] = type;
        bytes[3] = (byte)dims.Length;
        for (var i = 0; i < dims.Length; i++) BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4 + 4 * i), dims[i]);
        var data = bytes.AsSpan(4 + 4 * dims.Length);
        for (var i = 0; i < values.Count; i++)
        {
            var v = values[i];
            switch (type)
            {
                case 0x08: data[i] = (byte)v; break;
                case 0x09: data[i] = (byte)(sbyte)v; break;
                case 0x0B: BinaryPrimitives.WriteInt16BigEndian(data[(2 * i)..], (short)v); break;
                case 0x0C: BinaryPrimitives.WriteInt32BigEndian(data[(4 * i)..], (int)v); break;
                case 0x0D: BinaryPrimitives.WriteSingleBigEndian(data[(4 * i)..], (float)v); break;
                default: BinaryPrimitives.WriteDoubleBigEndian(data[(8 * i)..], v); break;
            }
        }
        return bytes;
    }

    public static string Write(string path, byte[] bytes, bool gzip = false)
    {
        if (gzip)
        {
            using var file = File.Create(path);
            using var zip = new GZipStream(file, CompressionLevel.Fastest);
            zip.Write(bytes);
        }
        else File.WriteAllBytes(path, bytes);
        return path;
    }

    /// <summary>
    /// An MNIST-like pair of files: <paramref name="count"/> size x size images of a bar at a random row or
    /// column (class 0 horizontal, 1 vertical, 2 both: a cross), with noise; labels cycle through the classes.
    /// </summary>
    public static (string Images, string Labels) Bars(string folder, int count, int size, bool gzip, int seed = 5)
    {
        var random = new Random(seed);
        var pixels = new List<double>(count * size * size);
        var labels = new List<double>(count);
        for (var n = 0; n < count; n++)
        {
            var label = n % 3;
            var row = random.Next(1, size - 1);
            var col = random.Next(1, size - 1);
            for (var r = 0; r < size; r++)
            {
                for (var c = 0; c < size; c++)
                {
                    var on = label switch { 0 => r == row, 1 => c == col, _ => r == row || c == col };
                    pixels.Add(Math.Clamp((on ? 200 : 20) + random.Next(-20, 21), 0, 255));
                }
            }
            labels.Add(label);
        }
        var ext = gzip ? ".gz" : "";
        return (
            Write(Path.Combine(folder, $"bars-images-idx3-ubyte{ext}"), Bytes(0x08, [count, size, size], pixels), gzip),
            Write(Path.Combine(folder, $"bars-labels-idx1-ubyte{ext}"), Bytes(0x08, [count], labels), gzip));
    }
}

public sealed class IdxDatasetTests : IDisposable
{
    private readonly TempDir _temp = new();

    public void Dispose() => _temp.Dispose();

    private DataSet Load(string images, string labels, string extra = "")
    {
        var trial = Experiments.Single($$"""
            name: idx-test
            dataset: {name: idx, images: {{images}}, labels: {{labels}}{{extra}}}
            model: {architecture: mlp, hidden: [4]}
            loss: cross_entropy
            """, _temp.Path);
        return IdxDataset.Instance.Load(trial.Spec.Dataset, trial.Spec.Seed, trial.Spec.BaseDirectory);
    }

    private string Error(string images, string labels) =>
        Assert.Throws<DatasetFileException>(() => IdxDataset.Load(images, _temp.Combine(images), labels, _temp.Combine(labels))).Message;

    private void Pair(byte[] images, byte[] labels, bool gzip = false)
    {
        IdxFiles.Write(_temp.Combine("images"), images, gzip);
        IdxFiles.Write(_temp.Combine("labels"), labels, gzip);
    }

    // The files are named "images" and "labels" either way: gzip is recognised by its first bytes.
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Images_become_1_x_h_x_w_scaled_to_0_1_with_class_labels(bool gzip)
    {
        // Two 2x3 images: pixel values 0..255, labels 1 and 0.
        Pair(IdxFiles.Bytes(0x08, [2, 2, 3], [0, 51, 102, 153, 204, 255, 255, 0, 0, 0, 0, 0]), IdxFiles.Bytes(0x08, [2], [1, 0]), gzip);

        var d = Load("images", "labels");

        Assert.Equal(2, d.Rows);
        Assert.Equal([1, 2, 3], d.Shape);
        Assert.Equal(TaskKind.Classification, d.Task);
        Assert.Equal(2, d.Classes);
        Assert.Equal(["0", "1"], d.ClassNames);
        Assert.Equal([1L, 0], d.Labels!);
        Assert.Equal([0f, 0.2f, 0.4f, 0.6f, 0.8f, 1f, 1f, 0, 0, 0, 0, 0], d.Features.ToArray());
    }

    [Fact]
    public void Gzipped_mnist_style_files_are_read()
    {
        var (images, labels) = IdxFiles.Bars(_temp.Path, 30, 8, gzip: true);
        var d = Load(Path.GetFileName(images), Path.GetFileName(labels));

        Assert.EndsWith(".gz", images);
        Assert.Equal(30, d.Rows);
        Assert.Equal([1, 8, 8], d.Shape);
        Assert.Equal(3, d.Classes);
    }

    [Fact]
    public void A_file_replaced_after_a_whole_read_is_read_to_its_end_again()
    {
        // Read once with a limit: the rest of the file is proven whole and remembered by size and time, so the next
        // read in this process stops at the limit. A file cut short at that path since then is another file.
        var (images, _) = IdxFiles.Bars(_temp.Path, 300, 8, gzip: true);
        Assert.Equal(10, IdxReader.Read("bars.gz", images, limit: 10).Count);
        Assert.Equal(10, IdxReader.Read("bars.gz", images, limit: 10).Count);

        var whole = File.ReadAllBytes(images);
        File.WriteAllBytes(images, whole[..(whole.Length / 2)]);

        var error = Assert.Throws<DatasetFileException>(() => IdxReader.Read("bars.gz", images, limit: 10));
        Assert.StartsWith("bars.gz: ", error.Message);
    }

    [Fact]
    public void Limit_takes_the_first_examples()
    {
        IdxFiles.Bars(_temp.Path, 30, 8, gzip: false);
        var d = Load("bars-images-idx3-ubyte", "bars-labels-idx1-ubyte", ", limit: 12");

        Assert.Equal(12, d.Rows);
        Assert.Equal(12 * 64, d.Features.Length);
        Assert.Equal([0L, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2], d.Labels!);
    }

    [Fact]
    public void Vectors_and_multi_channel_images_keep_their_shape_and_other_types_are_min_max_scaled()
    {
        Pair(IdxFiles.Bytes(0x0D, [2, 3], [-1, 0, 1, 3, 1, -1]), IdxFiles.Bytes(0x0C, [2], [0, 2]));
        var vectors = Load("images", "labels");
        Assert.Equal([3], vectors.Shape);
        Assert.Equal([0f, 0.25f, 0.5f, 1f, 0.5f, 0f], vectors.Features.ToArray());
        Assert.Equal(3, vectors.Classes);

        Pair(IdxFiles.Bytes(0x08, [2, 2, 1, 1], [0, 255, 255, 0]), IdxFiles.Bytes(0x08, [2], [0, 1]));
        Assert.Equal([2, 1, 1], Load("images", "labels").Shape);
    }

    [Fact]
    public void A_huge_class_index_is_an_error_not_a_billion_classes()
    {
        Pair(IdxFiles.Bytes(0x08, [2, 1, 1], [0, 1]), IdxFiles.Bytes(0x0C, [2], [0, 1_000_000_000]));
        Assert.Equal("labels: label 2 is 1000000000; class indices must be below 100000", Error("images", "labels"));
    }

    [Fact]
    public void File_not_found_is_named()
    {
        Pair(IdxFiles.Bytes(0x08, [2, 1, 1], [0, 1]), IdxFiles.Bytes(0x08, [2], [0, 1]));
        Assert.Equal($"nope: file not found ({_temp.Combine("nope")})", Error("nope", "labels"));
        Assert.Equal($"nope: file not found ({_temp.Combine("nope")})", Error("images", "nope"));
    }

    [Fact]
    public void A_file_that_is_not_idx_is_named()
    {
        _temp.Write("images", "5.1,3.5,1.4\n");
        IdxFiles.Write(_temp.Combine("labels"), IdxFiles.Bytes(0x08, [1], [0]));

        Assert.Equal("images: not an IDX file: it starts with 35 2e 31 2c, IDX files start with 00 00 <type> <dimensions>", Error("images", "labels"));
    }

    [Fact]
    public void An_unknown_value_type_is_named()
    {
        Pair([0, 0, 0x07, 1, 0, 0, 0, 1, 9], IdxFiles.Bytes(0x08, [1], [0]));

        Assert.Equal("images: unknown IDX value type 0x07; known: 0x08 (unsigned byte), 0x09 (signed byte), 0x0B (int16), 0x0C (int32), 0x0D (float32), 0x0E (float64)", Error("images", "labels"));
    }

    [Fact]
    public void A_truncated_file_says_how_much_is_missing()
    {
        var images = IdxFiles.Bytes(0x08, [3, 2, 2], [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
        Pair(images[..^2], IdxFiles.Bytes(0x08, [3], [0, 1, 0]));

        Assert.Equal("images: truncated: the header promises 3 x 2 x 2 values of 1 byte (28 bytes with the header) but the file has 26", Error("images", "labels"));
    }

    [Fact]
    public void Images_and_labels_must_match_in_count_and_labels_be_one_dimensional()
    {
        Pair(IdxFiles.Bytes(0x08, [3, 1, 1], [1, 2, 3]), IdxFiles.Bytes(0x08, [2], [0, 1]));
        Assert.Equal("images has 3 images but labels has 2 labels; they must match one to one", Error("images", "labels"));

        Pair(IdxFiles.Bytes(0x08, [2, 1, 1], [1, 2]), IdxFiles.Bytes(0x08, [2, 1], [0, 1]));
        Assert.Equal("labels: labels must be one class index per image (1 dimension), got 2 dimensions: [2, 1]", Error("images", "labels"));
    }

    [Fact]
    public void A_single_class_or_a_negative_label_is_an_error()
    {
        Pair(IdxFiles.Bytes(0x08, [2, 1, 1], [1, 2]), IdxFiles.Bytes(0x08, [2], [4, 4]));
        Assert.Equal("labels: every label is 4; classification needs at least two classes", Error("images", "labels"));

        Pair(IdxFiles.Bytes(0x08, [2, 1, 1], [1, 2]), IdxFiles.Bytes(0x09, [2], [0, -1]));
        Assert.Equal("labels: label 2 is -1; labels are class indices 0, 1, 2, ...", Error("images", "labels"));
    }

    // ---- review fixes ----

    [Fact]
    public void A_limit_does_not_hide_labels_that_do_not_match_the_images()
    {
        // Before: both files were cut to the limit first, so 4 images and 3 labels passed with limit 2.
        Pair(IdxFiles.Bytes(0x08, [4, 1, 1], [1, 2, 3, 4]), IdxFiles.Bytes(0x08, [3], [0, 1, 0]));

        Assert.Equal("images has 4 images but labels has 3 labels; they must match one to one",
            Assert.Throws<DatasetFileException>(() => IdxDataset.Load("images", _temp.Combine("images"), "labels", _temp.Combine("labels"), limit: 2)).Message);
    }

    [Fact]
    public void A_float_value_that_is_not_finite_is_named()
    {
        // Before: NaN pixels passed silently (and missing-value filling then replaced them with training means).
        Pair(IdxFiles.Bytes(0x0D, [2, 1, 2], [0.5, 1, double.NaN, 0]), IdxFiles.Bytes(0x08, [2], [0, 1]));

        Assert.Equal("images: value 3 (item 2) is NaN; every value must be a finite number", Error("images", "labels"));
    }

    [Fact]
    public void A_header_declaring_more_values_than_a_long_holds_is_truncated_not_a_crash()
    {
        var bytes = IdxFiles.Bytes(0x08, [int.MaxValue, int.MaxValue, int.MaxValue, 2], []);

        var message = Assert.Throws<DatasetFileException>(() => IdxReader.Parse("images", bytes)).Message;

        Assert.StartsWith("images: truncated: the header promises 2147483647 x 2147483647 x 2147483647 x 2 values of 1 byte", message);
    }
}
