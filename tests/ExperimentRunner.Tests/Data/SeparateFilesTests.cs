using System.Globalization;
using ExperimentRunner.Core.Catalog;
using ExperimentRunner.Core.Data;
using ExperimentRunner.Core.Data.Preparation;
using ExperimentRunner.Core.Problems;

namespace ExperimentRunner.Tests.Data;

/// <summary>
/// Validation and test splits from files of their own (idx test_images/test_labels, csv test_path/validation_path):
/// only the main file is split, everything fitted comes from the training rows, and the other files must agree.
/// </summary>
public sealed class SeparateFilesTests : IDisposable
{
    private readonly TempDir _temp = new();

    public void Dispose() => _temp.Dispose();

    private string Experiment(string dataset) => $$"""
        name: separate
        seed: 2
        dataset: {{dataset}}
        model: {architecture: mlp, hidden: [8]}
        loss: cross_entropy
        training: {epochs: 2, batch_size: 16}
        """;

    private PreparedData Prepare(string dataset) =>
        DataPreparation.Prepare(Experiments.Single(Experiment(dataset), _temp.Path).Spec, Catalogs.Default);

    private IReadOnlyList<string> Errors(string dataset) =>
        Experiments.Problems(Experiment(dataset), _temp.Path).Where(p => p.Severity == Severity.Error).Select(p => $"{p.Path}: {p.Message}").ToList();

    private (string Images, string Labels) Bars(string folder, int count, int seed)
    {
        Directory.CreateDirectory(_temp.Combine(folder));
        var (images, labels) = IdxFiles.Bars(_temp.Combine(folder), count, 8, gzip: true, seed);
        return (Path.GetRelativePath(_temp.Path, images), Path.GetRelativePath(_temp.Path, labels));
    }

    [Fact]
    public void Idx_test_files_are_the_test_split_and_only_the_training_file_is_split()
    {
        var train = Bars("train", 90, seed: 1);
        var test = Bars("test", 30, seed: 2);

        var prepared = Prepare($"{{name: idx, images: {train.Images}, labels: {train.Labels}, test_images: {test.Images}, test_labels: {test.Labels}, split: [0.8, 0.2]}}");

        Assert.Equal((72, 18, 30), (prepared.Splits.Train.Rows, prepared.Splits.Validation.Rows, prepared.Splits.Test.Rows));
        Assert.Equal(3, prepared.Splits.Test.Classes);
        var fromFile = IdxDataset.Load(test.Images, _temp.Combine(test.Images), test.Labels, _temp.Combine(test.Labels));
        Assert.Equal(fromFile.Features.ToArray(), prepared.Splits.Test.Features.ToArray());
        Assert.Equal(fromFile.Labels, prepared.Splits.Test.Labels);
    }

    [Fact]
    public void Without_a_split_a_test_file_leaves_85_15_of_the_training_file_to_train_and_validation()
    {
        var train = Bars("train", 100, seed: 1);
        var test = Bars("test", 30, seed: 2);

        var trial = Experiments.Single(Experiment($"{{name: idx, images: {train.Images}, labels: {train.Labels}, test_images: {test.Images}, test_labels: {test.Labels}}}"), _temp.Path);

        Assert.Equal([0.85, 0.15], trial.Spec.Dataset.Split);
        Assert.Contains("split: [0.85, 0.15]", ExperimentRunner.Core.Config.ConfigWriter.ToYaml(trial.Spec.Tree));
    }

    [Fact]
    public void An_idx_test_label_the_training_labels_never_use_is_an_error_naming_file_and_item()
    {
        var train = Bars("train", 60, seed: 1);
        Directory.CreateDirectory(_temp.Combine("test"));
        IdxFiles.Write(_temp.Combine("test", "images"), IdxFiles.Bytes(0x08, [2, 8, 8], new double[128]));
        IdxFiles.Write(_temp.Combine("test", "labels"), IdxFiles.Bytes(0x08, [2], [1, 7]));

        var ex = Assert.Throws<DatasetFileException>(() => Prepare($"{{name: idx, images: {train.Images}, labels: {train.Labels}, test_images: test/images, test_labels: test/labels}}"));

        Assert.Equal($"test/labels: label 2 is class 7, which no training label ({train.Labels}) has; its classes are 0 to 2", ex.Message);
    }

    [Fact]
    public void Csv_validation_and_test_files_get_the_preprocessing_fitted_on_the_training_file()
    {
        _temp.Write("train.csv", "x,c,y\n1,u,a\n3,v,b\n5,u,a\n7,v,b\n");
        _temp.Write("val.csv", "x,c,y\n2,u,a\n4,v,b\n");
        _temp.Write("test.csv", "x,c,y\n9,w,b\n11,u,a\n");

        var prepared = Prepare("{name: csv, path: train.csv, target: y, categorical: [c], validation_path: val.csv, test_path: test.csv, split: [1]}");

        // x: the training file's mean 4 and deviation sqrt(5); c: the categories the training rows have (u, v).
        var fitted = prepared.Preprocessing;
        Assert.Equal(4f, fitted.StandardizeMean![0]);
        Assert.Equal((float)Math.Sqrt(5), fitted.StandardizeStd![0]);
        Assert.Equal(["u", "v"], fitted.Columns![1].Levels);
        Assert.Equal(["a", "b"], fitted.ClassNames);
        Assert.Equal(4, prepared.Splits.Train.Rows);
        var test = prepared.Splits.Test;
        Assert.Equal([1L, 0L], test.Labels!);
        // Row 1 has category w, which no training row has: it encodes as all zeros (then standardized like every input).
        var zeroU = (0 - fitted.StandardizeMean[1]) / fitted.StandardizeStd[1];
        var zeroV = (0 - fitted.StandardizeMean[2]) / fitted.StandardizeStd[2];
        Assert.Equal(((9 - 4) / (float)Math.Sqrt(5), zeroU, zeroV), (test.Features.Span[0], test.Features.Span[1], test.Features.Span[2]));
        Assert.Equal(1, prepared.UnseenCategoryRows);
    }

    [Fact]
    public void A_csv_test_class_the_training_file_lacks_is_an_error_naming_file_row_and_value()
    {
        _temp.Write("train.csv", "x,y\n1,a\n3,b\n5,a\n7,b\n9,a\n");
        _temp.Write("test.csv", "x,y\n2,a\n4,z\n");

        var ex = Assert.Throws<DatasetFileException>(() => Prepare("{name: csv, path: train.csv, target: y, test_path: test.csv, split: [0.6, 0.4]}"));

        Assert.Equal("test.csv: row 3, column 2 'y': class 'z' does not occur in the training file train.csv; its classes are a, b", ex.Message);
    }

    [Fact]
    public void Validate_checks_the_split_count_pairs_and_that_the_files_agree()
    {
        _temp.Write("train.csv", "x,c,y\n1,u,a\n3,v,b\n");
        _temp.Write("other.csv", "x,y\n1,a\n");
        _temp.Write("renamed.csv", "x,k,y\n1,u,a\n");
        var train = Bars("train", 30, seed: 1);
        Directory.CreateDirectory(_temp.Combine("big"));
        IdxFiles.Write(_temp.Combine("big", "images"), IdxFiles.Bytes(0x08, [2, 9, 9], new double[162]));
        IdxFiles.Write(_temp.Combine("big", "labels"), IdxFiles.Bytes(0x08, [3], [0, 1, 2]));

        Assert.Equal(
            ["dataset.split: needs 2 fractions (train and validation) because dataset.test_path gives its split, got 3: [0.7, 0.2, 0.1]; e.g. [0.85, 0.15]"],
            Errors("{name: csv, path: train.csv, target: y, test_path: train.csv, split: [0.7, 0.2, 0.1]}"));
        Assert.Equal(
            ["dataset.test_path: 'other.csv' has 2 columns but 'train.csv' has 3; validation and test files need the training file's columns"],
            Errors("{name: csv, path: train.csv, target: y, test_path: other.csv}"));
        Assert.Equal(
            ["dataset.validation_path: 'renamed.csv' names its columns x, k, y but 'train.csv' names them x, c, y; validation and test files need the training file's columns"],
            Errors("{name: csv, path: train.csv, target: y, validation_path: renamed.csv}"));
        Assert.Equal(
            ["dataset.test_images: is given without dataset.test_labels; the test split needs both files"],
            Errors($"{{name: idx, images: {train.Images}, labels: {train.Labels}, test_images: big/images}}"));
        Assert.Equal(
            [
                $"dataset.test_images: 'big/images' holds items of [9, 9] but '{train.Images}' holds [8, 8]; every split needs the same image shape",
                "dataset.test_labels: 'big/labels' has 3 labels but 'big/images' has 2 images; they must match one to one",
            ],
            Errors($"{{name: idx, images: {train.Images}, labels: {train.Labels}, test_images: big/images, test_labels: big/labels}}"));
    }

    [Fact]
    public void Files_that_agree_validate()
    {
        var train = Bars("train", 30, seed: 1);
        var test = Bars("test", 12, seed: 2);

        var trial = Experiments.Single(Experiment($"{{name: idx, images: {train.Images}, labels: {train.Labels}, validation_images: {test.Images}, validation_labels: {test.Labels}, split: [0.8, 0.2]}}"), _temp.Path);

        Assert.True(trial.Spec.Dataset.SeparateValidation);
        Assert.Equal(string.Create(CultureInfo.InvariantCulture, $"{0.8},{0.2}"), string.Join(",", trial.Spec.Dataset.Split.Select(f => f.ToString(CultureInfo.InvariantCulture))));
    }
}
