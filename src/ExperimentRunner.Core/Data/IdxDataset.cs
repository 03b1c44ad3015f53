using System.Buffers.Binary;
using System.Globalization;
using System.IO.Compression;
using ExperimentRunner.Core.Catalog;
using ExperimentRunner.Core.Config.Settings;
using ExperimentRunner.Core.IO;

namespace ExperimentRunner.Core.Data;

/// <summary>
/// An IDX array (MNIST's format): its dimensions and its values, in file order (float: MNIST-sized files stay small).
/// With a limit, <see cref="Dims"/> and <see cref="Values"/> hold the first items only; <see cref="FileCount"/> is
/// how many the file has.
/// </summary>
public sealed record IdxArray(int[] Dims, byte Type, float[] Values, int FileCount)
{
    public int Count => Dims[0];
    public int ItemSize => Dims.Skip(1).Aggregate(1, (a, b) => a * b);
}

/// <summary>
/// Reads IDX files: two zero bytes, a type byte (0x08 unsigned byte, 0x09 signed byte, 0x0B int16, 0x0C int32,
/// 0x0D float32, 0x0E float64), the number of dimensions, each dimension as a big-endian int32, then the values
/// big-endian. Gzipped files (MNIST's .gz downloads) are recognised by their first bytes, not their name.
/// </summary>
public static class IdxReader
{
    private static readonly Dictionary<byte, (int Size, string Name)> Types = new()
    {
        [0x08] = (1, "unsigned byte"),
        [0x09] = (1, "signed byte"),
        [0x0B] = (2, "int16"),
        [0x0C] = (4, "int32"),
        [0x0D] = (4, "float32"),
        [0x0E] = (8, "float64"),
    };

    public static IdxArray Read(string source, string fullPath, int? limit = null)
    {
        try
        {
            using var stream = Open(source, fullPath, out var file);
            // A file this process has read to its end once (same size, same time) is not read past the limit again:
            // a sweep's trials each read the first images of the same file, and proving the rest whole again cost
            // 115 ms a trial for Fashion-MNIST's 60,000 training images (gunzip of the 39 MB after the first 10,000).
            // Size and time come from the open handle: a file replaced at that path meanwhile is not the one read.
            var key = (fullPath, RandomAccess.GetLength(file.SafeFileHandle), File.GetLastWriteTimeUtc(file.SafeFileHandle));
            var array = Parse(source, stream, limit, verifyRest: !VerifiedWhole.ContainsKey(key));
            VerifiedWhole.TryAdd(key, true);
            return array;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            throw new DatasetFileException($"{source}: cannot read: {ex.Message}", ex);
        }
    }

    /// <summary>Dimensions and value type from the header alone (validate compares files without reading their values).</summary>
    public static (int[] Dims, byte Type) ReadHeader(string source, string fullPath)
    {
        try
        {
            using var stream = Open(source, fullPath, out _);
            var (dims, type, _) = Header(source, stream);
            return (dims, type);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            throw new DatasetFileException($"{source}: cannot read: {ex.Message}", ex);
        }
    }

    public static IdxArray Parse(string source, byte[] bytes, int? limit = null) => Parse(source, new MemoryStream(bytes, writable: false), limit, verifyRest: true);

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<(string Path, long Length, DateTime Written), bool> VerifiedWhole = new();

    /// <summary>The file as a stream of its IDX bytes, unzipped on the fly when it starts with gzip's magic bytes.</summary>
    private static Stream Open(string source, string fullPath, out FileStream file)
    {
        if (Directory.Exists(fullPath)) throw new DatasetFileException($"{source}: is a folder, not an IDX file ({fullPath})");
        if (!File.Exists(fullPath)) throw new DatasetFileException($"{source}: file not found ({fullPath})");
        // A named pipe or a device (/dev/zero) passes File.Exists; reading it would wait or never end (predict's input, a path checked before it changed).
        if (FileKinds.Of(fullPath) is var kind and not (FileKind.Regular or FileKind.Unknown))
            throw new DatasetFileException($"{source}: is {FileKinds.Describe(kind)}, not an IDX file ({fullPath})");
        file = new FileStream(fullPath, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        var magic = new byte[2];
        var gzip = file.ReadAtLeast(magic, 2, throwOnEndOfStream: false) == 2 && magic[0] == 0x1F && magic[1] == 0x8B;
        file.Position = 0;
        return gzip ? new BufferedStream(new GZipStream(file, CompressionMode.Decompress), 1 << 16) : file;
    }

    private static (int[] Dims, byte Type, int HeaderSize) Header(string source, Stream stream)
    {
        var head = new byte[4];
        var got = stream.ReadAtLeast(head, 4, throwOnEndOfStream: false);
        if (got < 4 || head[0] != 0 || head[1] != 0)
            throw new DatasetFileException($"{source}: not an IDX file: it starts with {Hex(head, got)}, IDX files start with 00 00 <type> <dimensions>");
        var type = head[2];
        if (!Types.ContainsKey(type))
            throw new DatasetFileException($"{source}: unknown IDX value type 0x{type:X2}; known: {string.Join(", ", Types.Select(t => $"0x{t.Key:X2} ({t.Value.Name})"))}");
        int rank = head[3];
        if (rank == 0) throw new DatasetFileException($"{source}: the IDX header declares 0 dimensions");
        var headerSize = 4 + 4 * rank;
        var dimBytes = new byte[4 * rank];
        got = stream.ReadAtLeast(dimBytes, dimBytes.Length, throwOnEndOfStream: false);
        if (got < dimBytes.Length) throw new DatasetFileException($"{source}: truncated: the header declares {rank} dimensions but the file ends after {4 + got} bytes");
        var dims = new int[rank];
        for (var i = 0; i < rank; i++)
        {
            dims[i] = BinaryPrimitives.ReadInt32BigEndian(dimBytes.AsSpan(4 * i));
            if (dims[i] < 0) throw new DatasetFileException($"{source}: dimension {i + 1} is negative ({dims[i]})");
        }
        return (dims, type, headerSize);
    }

    /// <summary>
    /// Header, then the values straight into the float array the tensors are made from, a chunk of bytes at a time:
    /// no copy of the whole file (unzipped or not) is ever held.
    /// </summary>
    private static IdxArray Parse(string source, Stream stream, int? limit, bool verifyRest)
    {
        var (dims, type, headerSize) = Header(source, stream);
        var info = Types[type];
        // Saturating: a corrupt header can declare more values than a long holds; such a file is truncated all the same.
        var total = dims.Aggregate(1L, (a, b) => b == 0 || a <= long.MaxValue / 8 / b ? a * b : long.MaxValue / 8);
        var needed = headerSize + total * info.Size;
        var fileCount = dims[0];
        if (limit is { } n && n < dims[0])
        {
            dims[0] = n;
        }
        var keep = dims.Aggregate(1L, (a, b) => b == 0 || a <= long.MaxValue / 8 / b ? a * b : long.MaxValue / 8);
        long read = headerSize;
        // More values than an array holds: no real file is that large, so it is cut short.
        if (keep > Array.MaxLength) throw Truncated(source, dims, fileCount, info.Size, needed, headerSize + Drain(stream));
        var values = new float[keep];
        var chunk = new byte[info.Size * 8192];
        for (long i = 0; i < keep;)
        {
            var want = (int)Math.Min(chunk.Length, (keep - i) * info.Size);
            var got = stream.ReadAtLeast(chunk, want, throwOnEndOfStream: false);
            read += got;
            if (got < want) throw Truncated(source, dims, fileCount, info.Size, needed, read);
            Convert(type, chunk.AsSpan(0, want), values.AsSpan((int)i, want / info.Size));
            i += want / info.Size;
        }
        // The rest is read (and dropped) only to prove the file holds every value its header promises.
        if (verifyRest)
        {
            read += Drain(stream);
            if (read < needed) throw Truncated(source, dims, fileCount, info.Size, needed, read);
        }
        if (type is 0x0D or 0x0E && Array.FindIndex(values, v => !float.IsFinite(v)) is var bad and >= 0)
            throw new DatasetFileException($"{source}: value {bad + 1} (item {bad / Math.Max(1, values.Length / dims[0]) + 1}) is {values[bad].ToString(CultureInfo.InvariantCulture)}; every value must be a finite number{(type == 0x0E ? " (float64 values beyond the float32 range count as infinite)" : "")}");
        return new IdxArray(dims, type, values, fileCount);
    }

    private static void Convert(byte type, ReadOnlySpan<byte> data, Span<float> values)
    {
        if (type == 0x08)
        {
            // Images: one byte a value, the common case, without the per-value switch.
            for (var i = 0; i < values.Length; i++) values[i] = data[i];
            return;
        }
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = type switch
            {
                0x08 => data[i],
                0x09 => (sbyte)data[i],
                0x0B => BinaryPrimitives.ReadInt16BigEndian(data[(2 * i)..]),
                0x0C => BinaryPrimitives.ReadInt32BigEndian(data[(4 * i)..]),
                0x0D => BinaryPrimitives.ReadSingleBigEndian(data[(4 * i)..]),
                _ => (float)BinaryPrimitives.ReadDoubleBigEndian(data[(8 * i)..]),
            };
        }
    }

    private static long Drain(Stream stream)
    {
        var buffer = new byte[1 << 16];
        long total = 0;
        int got;
        while ((got = stream.Read(buffer)) > 0) total += got;
        return total;
    }

    private static DatasetFileException Truncated(string source, int[] dims, int fileCount, int size, long needed, long has)
    {
        var declared = new[] { fileCount }.Concat(dims.Skip(1));
        return new DatasetFileException($"{source}: truncated: the header promises {string.Join(" x ", declared)} values of {size} byte{(size == 1 ? "" : "s")} ({needed.ToString(CultureInfo.InvariantCulture)} bytes with the header) but the file has {has.ToString(CultureInfo.InvariantCulture)}");
    }

    private static string Hex(byte[] bytes, int count) => string.Join(" ", bytes.Take(count).Select(b => b.ToString("x2", CultureInfo.InvariantCulture)));
}

/// <summary>
/// The <c>idx</c> dataset: an image file ([N, height, width], or [N, channels, height, width], or [N, features])
/// and a label file ([N] class indices). Unsigned-byte pixels are divided by 255; other value types are scaled
/// to [0, 1] by the file's minimum and maximum. Images are shaped [channels, height, width] (the cnn takes them
/// as they are, the mlp flattens them).
/// </summary>
public sealed class IdxDataset : IDatasetProvider
{
    public static IdxDataset Instance { get; } = new();

    private IdxDataset()
    {
    }

    public DataSet Load(DatasetSettings spec, long seed, string baseDirectory)
    {
        var (images, labels) = (spec.Idx!.Images, spec.Idx.Labels);
        var limit = spec.Idx.Limit is { } l ? (int)Math.Min(l, int.MaxValue) : (int?)null;
        return Load(images, DataPaths.Resolve(baseDirectory, images), labels, DataPaths.Resolve(baseDirectory, labels), limit);
    }

    public SeparateSplits LoadSeparate(DatasetSettings spec, DataSet main, string baseDirectory)
    {
        var idx = spec.Idx!;
        var limit = idx.Limit is { } l ? (int)Math.Min(l, int.MaxValue) : (int?)null;
        DataSet? Read(string? images, string? labels)
        {
            if (images is null || labels is null) return null;
            var data = Load(images, DataPaths.Resolve(baseDirectory, images), labels, DataPaths.Resolve(baseDirectory, labels), limit, minClasses: 1);
            if (!data.Shape.SequenceEqual(main.Shape))
                throw new DatasetFileException($"{images}: images are [{string.Join(", ", data.Shape)}] but {idx.Images} has [{string.Join(", ", main.Shape)}]; validation and test images need the training images' shape");
            if (Array.FindIndex(data.Labels!, v => v >= main.Classes) is var unseen and >= 0)
                throw new DatasetFileException($"{labels}: label {unseen + 1} is class {data.Labels![unseen]}, which no training label ({idx.Labels}) has; its classes are 0 to {main.Classes - 1}");
            return data with { Classes = main.Classes, ClassNames = main.ClassNames };
        }
        return new SeparateSplits(Read(idx.ValidationImages, idx.ValidationLabels), Read(idx.TestImages, idx.TestLabels));
    }

    /// <param name="minClasses">A training file needs two classes; a validation or test file may hold one.</param>
    public static DataSet Load(string imagesSource, string imagesPath, string labelsSource, string labelsPath, int? limit = null, int minClasses = 2)
    {
        var x = IdxReader.Read(imagesSource, imagesPath, limit);
        var y = IdxReader.Read(labelsSource, labelsPath, limit);
        var shape = ItemShape(imagesSource, x);
        if (y.Dims.Length != 1)
            throw new DatasetFileException($"{labelsSource}: labels must be one class index per image (1 dimension), got {y.Dims.Length} dimensions: [{string.Join(", ", y.Dims)}]");
        // The files' own counts: with a limit both are cut to it, which would hide labels that do not belong to the images.
        if (x.FileCount != y.FileCount)
            throw new DatasetFileException($"{imagesSource} has {x.FileCount} images but {labelsSource} has {y.FileCount} labels; they must match one to one");
        if (x.Count == 0) throw new DatasetFileException($"{imagesSource}: the file has no images");
        var classes = 0L;
        var labelsOut = new long[y.Count];
        for (var i = 0; i < y.Values.Length; i++)
        {
            var v = y.Values[i];
            if (v < 0 || v != Math.Floor(v))
                throw new DatasetFileException($"{labelsSource}: label {i + 1} is {v.ToString(CultureInfo.InvariantCulture)}; labels are class indices 0, 1, 2, ...");
            // One output unit per class: an index this large is a corrupt file or a wrong label type, not a class.
            if (v >= MaxClasses)
                throw new DatasetFileException($"{labelsSource}: label {i + 1} is {v.ToString("0", CultureInfo.InvariantCulture)}; class indices must be below {MaxClasses}");
            labelsOut[i] = (long)v;
            classes = Math.Max(classes, labelsOut[i] + 1);
        }
        if (labelsOut.Distinct().Count() < minClasses)
            throw new DatasetFileException($"{labelsSource}: every label is {labelsOut[0]}; classification needs at least two classes");
        return new DataSet
        {
            Features = Scale(x),
            Rows = x.Count,
            Shape = shape,
            Task = TaskKind.Classification,
            Classes = checked((int)classes),
            Labels = labelsOut,
            ClassNames = [.. Enumerable.Range(0, (int)classes).Select(c => c.ToString(CultureInfo.InvariantCulture))],
        };
    }

    /// <summary>One item's shape: [features], or [channels, height, width] for images.</summary>
    internal static int[] ItemShape(string imagesSource, IdxArray x) => x.Dims.Length switch
    {
        2 => [x.Dims[1]],
        3 => [1, x.Dims[1], x.Dims[2]],
        4 => [x.Dims[1], x.Dims[2], x.Dims[3]],
        _ => throw new DatasetFileException($"{imagesSource}: images must have 2 to 4 dimensions ([N, features], [N, height, width] or [N, channels, height, width]), got {x.Dims.Length}: [{string.Join(", ", x.Dims)}]"),
    };

    /// <summary>Largest class count an idx label file may imply.</summary>
    public const int MaxClasses = 100_000;

    internal static float[] Scale(IdxArray x)
    {
        // Scaled in place: the array was read for this purpose only.
        var values = x.Values;
        if (x.Type == 0x08)
        {
            for (var i = 0; i < values.Length; i++) values[i] = (float)(values[i] / 255.0);
            return values;
        }
        var (min, max) = values.Length == 0 ? (0.0, 0.0) : ((double)values.Min(), (double)values.Max());
        var range = max - min;
        for (var i = 0; i < values.Length; i++) values[i] = range > 0 ? (float)((values[i] - min) / range) : 0f;
        return values;
    }
}
