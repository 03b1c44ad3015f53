using ExperimentRunner.Core.Data;
using ExperimentRunner.Tests.TestSupport;

namespace ExperimentRunner.Tests.Config;

/// <summary>
/// Issue 14 findings 1 and 5: a data path must name a regular file. A NUL used to end in "Unhandled exception:
/// System.ArgumentException: Null character in path", and /dev/zero or a FIFO passed validate, after which run grew
/// to 10 GB or waited forever. Each is now one error line from validate and from run, before anything is written.
/// </summary>
public sealed class DataPathTests : IDisposable
{
    private readonly TempDir _temp = new();

    private string Csv(string path) =>
        Experiments.Tiny.Replace("dataset: {name: spirals, samples: 200, classes: 3, noise: 0.1}", $"dataset: {{name: csv, path: {path}, target: -1}}", StringComparison.Ordinal);

    private string Error(string yaml) => Assert.Single(Experiments.Problems(yaml, _temp.Path)).ToString();

    [Fact]
    public void A_NUL_in_the_path_is_an_error_not_an_exception()
    {
        Assert.Equal("test.yaml:3:28: error: dataset.path: 'a\\0b.csv' holds a NUL character (\\0), which no file name can contain", Error(Csv("\"a\\0b.csv\"")));
    }

    [SkippableTheory]
    [InlineData("/dev/zero")]
    [InlineData("/dev/urandom")]
    [InlineData("/dev/null")]
    public void A_device_is_not_a_data_file(string device)
    {
        Skip.IfNot(OperatingSystem.IsLinux(), "device files are Linux's");
        Assert.Equal($"test.yaml:3:28: error: dataset.path: '{device}' is a character device (like /dev/zero or /dev/null), whose reads never end or return nothing, not a regular file; give a data file", Error(Csv(device)));
    }

    [SkippableFact]
    public void A_link_to_a_device_is_followed_and_refused()
    {
        Skip.IfNot(OperatingSystem.IsLinux(), "device files are Linux's");
        File.CreateSymbolicLink(_temp.Combine("zero.csv"), "/dev/zero");

        Assert.Equal("test.yaml:3:28: error: dataset.path: 'zero.csv' is a character device (like /dev/zero or /dev/null), whose reads never end or return nothing, not a regular file; give a data file", Error(Csv("zero.csv")));
    }

    [SkippableFact]
    public void A_named_pipe_is_not_a_data_file()
    {
        Skip.IfNot(Fifos.TryMake(_temp.Combine("pipe.csv")), "mkfifo is not available");

        Assert.Equal("test.yaml:3:28: error: dataset.path: 'pipe.csv' is a named pipe (FIFO), whose reads wait for a writer, not a regular file; give a data file", Error(Csv("pipe.csv")));
    }

    [Fact]
    public void A_folder_an_empty_file_and_a_missing_file_are_named()
    {
        _temp.Write("empty.csv", "");

        Assert.Equal($"test.yaml:3:28: error: dataset.path: '.' is a folder, not a file: {_temp.Path}", Error(Csv(".")));
        Assert.Equal($"test.yaml:3:28: error: dataset.path: 'empty.csv' is empty (0 bytes); give a file that holds the examples: {_temp.Combine("empty.csv")}", Error(Csv("empty.csv")));
        Assert.Equal($"test.yaml:3:28: error: dataset.path: file not found: {_temp.Combine("gone.csv")} (relative paths start at the experiment file's folder, {_temp.Path})", Error(Csv("gone.csv")));
    }

    [Fact]
    public void Names_and_paths_longer_than_the_file_system_takes_are_refused()
    {
        var longName = "data/" + new string('d', 300) + ".csv";
        var longFile = new string('f', 256);
        var deep = string.Concat(Enumerable.Repeat("deep/", 1000)) + "x.csv";

        // Long values are quoted by their first and last 28 characters.
        var part = new string('d', 300) + ".csv";
        Assert.Equal($"test.yaml:3:28: error: dataset.path: '{longName[..28]}...{longName[^28..]}' (309 characters) has a part of 304 bytes ('{part[..28]}...{part[^28..]}' (304 characters)); a file or folder name may have at most 255 bytes", Error(Csv(longName)));
        Assert.Equal($"test.yaml:3:28: error: dataset.path: '{longFile[..28]}...{longFile[^28..]}' (256 characters) is a name of 256 bytes; a file or folder name may have at most 255 bytes", Error(Csv(longFile)));
        Assert.Equal($"test.yaml:3:28: error: dataset.path: 'deep/deep/deep/deep/deep/dee...ep/deep/deep/deep/deep/x.csv' (5005 characters) is {_temp.Path.Length + 5006} bytes long once resolved; a path may have at most 4095 bytes", Error(Csv(deep)));
    }

    [SkippableFact]
    public void Idx_images_and_labels_are_checked_each()
    {
        Skip.IfNot(OperatingSystem.IsLinux() && Fifos.TryMake(_temp.Combine("labels")), "needs /dev/zero and mkfifo");
        var yaml = Experiments.Tiny.Replace("dataset: {name: spirals, samples: 200, classes: 3, noise: 0.1}", "dataset: {name: idx, images: /dev/zero, labels: labels}", StringComparison.Ordinal);

        Assert.Equal(
        [
            "test.yaml:3:30: error: dataset.images: '/dev/zero' is a character device (like /dev/zero or /dev/null), whose reads never end or return nothing, not a regular file; give a data file",
            "test.yaml:3:49: error: dataset.labels: 'labels' is a named pipe (FIFO), whose reads wait for a writer, not a regular file; give a data file",
        ], Experiments.Problems(yaml, _temp.Path).Select(p => p.ToString()));
    }

    [SkippableFact]
    public void Separate_validation_and_test_files_are_checked_and_never_opened_when_they_are_not_regular_files()
    {
        // SeparateFilesAgree reads the first lines of these files; a pipe or /dev/zero there used to hang validate.
        Skip.IfNot(OperatingSystem.IsLinux() && Fifos.TryMake(_temp.Combine("val.csv")), "needs /dev/zero and mkfifo");
        _temp.Write("train.csv", "a,b,y\n1,2,0\n3,4,1\n");
        var yaml = Experiments.Tiny.Replace("dataset: {name: spirals, samples: 200, classes: 3, noise: 0.1}", "dataset: {name: csv, path: train.csv, target: y, validation_path: val.csv, test_path: /dev/zero, split: [1]}", StringComparison.Ordinal);

        Assert.Equal(
        [
            "test.yaml:3:67: error: dataset.validation_path: 'val.csv' is a named pipe (FIFO), whose reads wait for a writer, not a regular file; give a data file",
            "test.yaml:3:87: error: dataset.test_path: '/dev/zero' is a character device (like /dev/zero or /dev/null), whose reads never end or return nothing, not a regular file; give a data file",
        ], Experiments.Problems(yaml, _temp.Path).Select(p => p.ToString()));
    }

    [SkippableFact]
    public void The_data_readers_refuse_a_pipe_or_a_device_given_past_validation()
    {
        // predict reads its input with these readers, and no experiment file is validated before.
        Skip.IfNot(OperatingSystem.IsLinux() && Fifos.TryMake(_temp.Combine("pipe.csv")), "needs /dev/zero and mkfifo");

        var csv = Assert.Throws<DatasetFileException>(() => CsvDatasetReader.Read("pipe.csv", _temp.Combine("pipe.csv"), null, null));
        var idx = Assert.Throws<DatasetFileException>(() => IdxReader.ReadHeader("/dev/zero", "/dev/zero"));

        Assert.Equal($"pipe.csv: is a named pipe (FIFO), whose reads wait for a writer, not a CSV file ({_temp.Combine("pipe.csv")})", csv.Message);
        Assert.Equal("/dev/zero: is a character device (like /dev/zero or /dev/null), whose reads never end or return nothing, not an IDX file (/dev/zero)", idx.Message);
    }

    [SkippableFact]
    public void Validate_and_run_refuse_dev_zero_with_exit_2_and_write_nothing()
    {
        Skip.IfNot(OperatingSystem.IsLinux(), "device files are Linux's");
        var file = _temp.Write("zero.yaml", Csv("/dev/zero"));

        ConfigRefusal.ByValidateAndRun(file, _temp.Combine("results"), $"{file}:3:28: error: dataset.path: '/dev/zero' is a character device (like /dev/zero or /dev/null), whose reads never end or return nothing, not a regular file; give a data file");
    }

    [Fact]
    public void Validate_and_run_refuse_a_NUL_path_without_a_stack_trace()
    {
        var file = _temp.Write("nul.yaml", Csv("\"a\\0b.csv\""));

        ConfigRefusal.ByValidateAndRun(file, _temp.Combine("results"), $"{file}:3:28: error: dataset.path: 'a\\0b.csv' holds a NUL character (\\0), which no file name can contain");
    }

    public void Dispose() => _temp.Dispose();
}
