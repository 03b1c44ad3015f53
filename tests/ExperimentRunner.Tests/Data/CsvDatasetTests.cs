using ExperimentRunner.Core.Config.Settings;
using ExperimentRunner.Core.Data.Preparation;
using ExperimentRunner.Core.Catalog;
using ExperimentRunner.Core.Data;
using ExperimentRunner.Tests.TestSupport;

namespace ExperimentRunner.Tests.Data;

/// <summary>Every csv feature of the issue, and every bad-data error with its exact message.</summary>
public sealed class CsvDatasetTests : IDisposable
{
    private readonly TempDir _temp = new();

    public void Dispose() => _temp.Dispose();

    /// <summary>Writes <paramref name="csv"/> as data.csv and loads it through a bound experiment file, as a trial does.</summary>
    private DataSet Load(string csv, string settings, string file = "data.csv")
    {
        _temp.Write(file, csv);
        var trial = Experiments.Single(Yaml(file, settings), _temp.Path);
        return CsvDataset.Instance.Load(trial.Spec.Dataset, trial.Spec.Seed, trial.Spec.BaseDirectory);
    }

    private static string Yaml(string file, string settings) => $$"""
        name: csv-test
        dataset: {name: csv, path: {{file}}, {{settings}}}
        model: {architecture: mlp, hidden: [4]}
        loss: mse
        """;

    private string Error(string csv, string settings, string file = "data.csv") =>
        Assert.Throws<DatasetFileException>(() => Load(csv, settings, file)).Message;

    private static float[] Row(DataSet d, int row) => d.Features.Span.Slice(row * d.FeatureCount, d.FeatureCount).ToArray();

    // ---- header, delimiter, target, features ----

    [Fact]
    public void Numeric_labels_are_classes_by_value_so_1_and_1_0_are_one_class()
    {
        var d = Load("0.5,1\n0.7,1.0\n0.1,01\n0.2,2\n0.3,0\n", "target: -1, task: classification");
        Assert.Equal(["0", "1", "2"], d.ClassNames!);
        Assert.Equal([1L, 1, 1, 2, 0], d.Labels!);
    }

    [Fact]
    public void Header_is_detected_when_the_first_line_has_names_over_numbers()
    {
        var d = Load("sepal,petal,species\n1.5,2,a\n3,4.25,b\n", "target: species");

        Assert.Equal(2, d.Rows);
        Assert.Equal([2], d.Shape);
        Assert.Equal([1.5f, 2f, 3f, 4.25f], d.Features.ToArray());
        Assert.Equal(TaskKind.Classification, d.Task);
    }

    [Fact]
    public void No_header_is_detected_when_the_first_line_holds_numbers()
    {
        var d = Load("1.5,2,a\n3,4.25,b\n", "target: -1");

        Assert.Equal(2, d.Rows);
        Assert.Equal([1.5f, 2f, 3f, 4.25f], d.Features.ToArray());
    }

    [Fact]
    public void An_all_text_table_has_a_header_when_its_first_values_do_not_repeat_below()
    {
        var d = Load("color,size\nred,small\nblue,large\nred,large\n", "target: size, categorical: [color]");

        Assert.Equal(3, d.Rows);
        Assert.Equal(["large", "small"], d.ClassNames);
    }

    [Fact]
    public void Header_false_reads_the_first_line_as_data_and_true_as_names()
    {
        var text = "a,b,y\n1,2,0\n3,4,1\n5,6,1\n";
        Assert.Equal("data.csv: row 1, column 1: 'a' is not a number; declare the column in categorical or fix the file", Error(text, "target: -1, header: false"));

        var named = Load("10,20,y\n1,2,0\n3,4,1\n", "target: y, header: true");
        Assert.Equal(2, named.Rows);
        Assert.Equal([1f, 2f, 3f, 4f], named.Features.ToArray());
    }

    [Theory]
    [InlineData("1;2;x\n3;4;y\n", "auto")]
    [InlineData("1\t2\tx\n3\t4\ty\n", "auto")]
    [InlineData("1,2,x\n3,4,y\n", "auto")]
    [InlineData("1|2|x\n3|4|y\n", "auto")]
    [InlineData("1;2;x\n3;4;y\n", "semicolon")]
    [InlineData("1\t2\tx\n3\t4\ty\n", "tab")]
    public void Delimiter_is_detected_or_taken_as_given(string text, string delimiter)
    {
        var d = Load(text, $"target: -1, delimiter: {delimiter}");

        Assert.Equal([1f, 2f, 3f, 4f], d.Features.ToArray());
        Assert.Equal(["x", "y"], d.ClassNames);
    }

    [Fact]
    public void Quoted_cells_may_hold_the_separator_and_cells_are_trimmed()
    {
        var d = Load("name,x,label\n\"Smith, J\", 1.5 ,\"a b\"\n\"Doe, A\",2,c\n", "target: label, features: [x]");

        Assert.Equal([1.5f, 2f], d.Features.ToArray());
        Assert.Equal(["a b", "c"], d.ClassNames);
    }

    [Theory]
    [InlineData("label", new[] { 0L, 1L, 0L })]
    [InlineData("2", new[] { 0L, 1L, 0L })]
    [InlineData("-1", new[] { 0L, 1L, 0L })]
    [InlineData("LABEL", new[] { 0L, 1L, 0L })]
    public void Target_is_found_by_name_index_or_index_from_the_end(string target, long[] labels)
    {
        var d = Load("x1,x2,label\n1,2,no\n3,4,yes\n5,6,no\n", $"target: \"{target}\"");

        Assert.Equal(labels, d.Labels);
        Assert.Equal([1f, 2f, 3f, 4f, 5f, 6f], d.Features.ToArray());
    }

    [Fact]
    public void Target_may_be_any_column_and_the_others_are_features_in_file_order()
    {
        var d = Load("y,a,b\n1.5,10,20\n2.5,30,40\n", "target: 0");

        Assert.Equal(TaskKind.Regression, d.Task);
        Assert.Equal([1.5f, 2.5f], d.Values!);
        Assert.Equal([10f, 20f, 30f, 40f], d.Features.ToArray());
    }

    [Fact]
    public void Features_select_columns_by_name_or_index_in_the_order_given()
    {
        var d = Load("a,b,c,y\n1,2,3,0\n4,5,6,1\n", "target: y, features: [c, 0]");

        Assert.Equal([2], d.Shape);
        Assert.Equal([3f, 1f, 6f, 4f], d.Features.ToArray());
    }

    // ---- task and labels ----

    [Fact]
    public void Text_labels_become_sorted_class_indices_and_their_names_are_kept()
    {
        var d = Load("1,Iris-virginica\n2,Iris-setosa\n3,Iris-versicolor\n4,Iris-setosa\n", "target: -1");

        Assert.Equal(TaskKind.Classification, d.Task);
        Assert.Equal(3, d.Classes);
        Assert.Equal(["Iris-setosa", "Iris-versicolor", "Iris-virginica"], d.ClassNames);
        Assert.Equal([2L, 0, 1, 0], d.Labels!);
        Assert.Equal(3, d.OutputWidth);
    }

    [Fact]
    public void Few_distinct_integers_are_classes_sorted_by_value()
    {
        var d = Load("1,10\n2,2\n3,1\n4,2\n", "target: -1");

        Assert.Equal(TaskKind.Classification, d.Task);
        Assert.Equal(["1", "2", "10"], d.ClassNames);
        Assert.Equal([2L, 1, 0, 1], d.Labels!);
    }

    [Fact]
    public void Fractional_numbers_or_many_integers_are_a_regression_target()
    {
        var fractional = Load("1,24.5\n2,21\n3,34.75\n", "target: -1");
        Assert.Equal(TaskKind.Regression, fractional.Task);
        Assert.Equal([24.5f, 21f, 34.75f], fractional.Values!);
        Assert.Equal(1, fractional.OutputWidth);
        Assert.Null(fractional.ClassNames);

        var many = Load(string.Concat(Enumerable.Range(0, 30).Select(i => $"{i},{i * 7}\n")), "target: -1");
        Assert.Equal(TaskKind.Regression, many.Task);
    }

    [Fact]
    public void Task_can_be_declared_either_way()
    {
        Assert.Equal(TaskKind.Regression, Load("1,0\n2,1\n3,2\n", "target: -1, task: regression").Task);
        var classes = Load("1,0.5\n2,1.5\n3,0.5\n", "target: -1, task: classification");
        Assert.Equal(TaskKind.Classification, classes.Task);
        Assert.Equal(["0.5", "1.5"], classes.ClassNames);
    }

    // ---- categorical, missing values ----

    [Fact]
    public void Categorical_columns_are_one_hot_encoded_in_place_with_sorted_categories()
    {
        var d = Load("x,color,z,y\n1,red,5,0\n2,blue,6,1\n3,green,7,0\n4,red,8,1\n", "target: y, categorical: [color]");

        // x, blue, green, red, z
        Assert.Equal([5], d.Shape);
        Assert.Equal([1f, 0, 0, 1, 5], Row(d, 0));
        Assert.Equal([2f, 1, 0, 0, 6], Row(d, 1));
        Assert.Equal([3f, 0, 1, 0, 7], Row(d, 2));
    }

    [Fact]
    public void Categorical_columns_may_be_given_by_index()
    {
        var d = Load("1,a,0\n2,b,1\n", "target: -1, categorical: [1]");

        Assert.Equal([1f, 1, 0, 2, 0, 1], d.Features.ToArray());
    }

    [Theory]
    [InlineData("?", "missing value '?'")]
    [InlineData("NA", "missing value 'NA'")]
    [InlineData("N/A", "missing value 'N/A'")]
    [InlineData("NaN", "missing value 'NaN'")]
    [InlineData("", "an empty cell")]
    public void A_missing_value_is_an_error_naming_row_and_column(string token, string what)
    {
        var message = Error($"a,b,y\n1,2,0\n3,{token},1\n5,6,0\n", "target: y");

        Assert.Equal($"data.csv: row 3, column 2 'b': {what}; set missing: drop (skip such rows) or missing: mean (fill features with the training mean), or fix the file", message);
    }

    [Fact]
    public void Missing_drop_skips_rows_with_a_missing_value_in_a_used_column()
    {
        var d = Load("a,b,note,y\n1,2,,0\n3,?,x,1\n5,6,y,0\n7,8,z,NA\n9,10,w,1\n", "target: y, features: [a, b], missing: drop");

        Assert.Equal(3, d.Rows);
        Assert.Equal([1f, 2f, 5f, 6f, 9f, 10f], d.Features.ToArray());
        Assert.Equal([0L, 0, 1], d.Labels!);
    }

    [Fact]
    public void Missing_mean_fills_features_with_the_training_split_mean()
    {
        var d = Load("a,c,y\n1,u,0\n?,v,1\n5,?,0\n", "target: y, categorical: [c], missing: mean, standardize: false");

        Assert.True(float.IsNaN(d.Features.Span[3]));
        Assert.True(float.IsNaN(d.Features.Span[7]) && float.IsNaN(d.Features.Span[8]));
        // Rows 0 and 2 are the training split here; row 1 is validation.
        var splits = Prepare(new DataSplits(d.Take([0, 2]), d.Take([1]), d.Take([1])), Spec("missing: mean, standardize: false"));

        // a: train mean (1 + 5) / 2 = 3; c=u: 1 in the one training row that knows it. No training row has c=v, so
        // that category has no input of its own: the validation row's c encodes as zeros.
        Assert.Equal([1f, 1, 5, 1], splits.Train.Features.ToArray());
        Assert.Equal([3f, 0], splits.Validation.Features.ToArray());
    }

    [Fact]
    public void Missing_mean_cannot_fill_a_target()
    {
        Assert.Equal(
            "data.csv: row 3, column 2 'y': the target is missing (missing value '?'); a target cannot be filled in: set missing: drop or fix the file",
            Error("a,y\n1,0\n2,?\n3,1\n", "target: y, missing: mean"));
    }

    // ---- standardization ----

    [Fact]
    public void Standardize_is_fitted_on_the_training_split_only()
    {
        var d = Load("x,y\n0,0\n2,1\n100,0\n-50,1\n", "target: y");
        var splits = Prepare(new DataSplits(d.Take([0, 1]), d.Take([2]), d.Take([3])), Spec("standardize: true"));

        // Train mean 1, std 1: validation and test use those numbers, not their own.
        Assert.Equal([-1f, 1f], splits.Train.Features.ToArray());
        Assert.Equal([99f], splits.Validation.Features.ToArray());
        Assert.Equal([-51f], splits.Test.Features.ToArray());

        var raw = Prepare(new DataSplits(d.Take([0, 1]), d.Take([2]), d.Take([3])), Spec("standardize: false"));
        Assert.Equal([100f], raw.Validation.Features.ToArray());
    }

    /// <summary>The preparation step's fitting and applying, on splits chosen by the test.</summary>
    private static DataSplits Prepare(DataSplits raw, DatasetSettings settings)
    {
        var fitted = FittedPreprocessing.Fit(raw.Train, [raw.Validation, raw.Test], settings.Standardize, settings.Csv?.Missing == "mean");
        return raw.Map(d => fitted.Apply(d, out _));
    }

    private DatasetSettings Spec(string settings)
    {
        _temp.Write("spec.csv", "1,0\n2,1\n");
        return Experiments.Single(Yaml("spec.csv", $"target: -1, {settings}"), _temp.Path).Spec.Dataset;
    }

    // ---- file shapes ----

    [Fact]
    public void A_file_without_a_newline_at_the_end_keeps_its_last_row()
    {
        var d = Load("1,a\n2,b\n3,c", "target: -1");

        Assert.Equal(3, d.Rows);
        Assert.Equal([1f, 2f, 3f], d.Features.ToArray());
    }

    [Fact]
    public void The_iris_file_reads_as_150_rows_of_3_classes()
    {
        var d = CsvDataset.Load(new CsvDatasetOptions { Source = "iris.csv", FullPath = UciDatasets.Path("iris.csv"), Target = "-1" });

        Assert.Equal(150, d.Rows);
        Assert.Equal([4], d.Shape);
        Assert.Equal(["Iris-setosa", "Iris-versicolor", "Iris-virginica"], d.ClassNames);
        Assert.Equal(50, d.Labels!.Count(l => l == 2));
        // The last line (no newline after it) is the last row.
        Assert.Equal([5.9f, 3.0f, 5.1f, 1.8f], Row(d, 149));
    }

    [Fact]
    public void Windows_line_ends_blank_lines_and_a_byte_order_mark_are_fine()
    {
        var d = Load("\uFEFFx,y\r\n1,a\r\n\r\n2,b\r\n", "target: y");

        Assert.Equal(2, d.Rows);
        Assert.Equal([1f, 2f], d.Features.ToArray());
    }

    // ---- bad data ----

    [Fact]
    public void File_not_found_names_the_path_as_written_and_where_it_was_looked_for()
    {
        var full = _temp.Combine("gone.csv");
        var ex = Assert.Throws<DatasetFileException>(() => CsvDataset.Load(new CsvDatasetOptions { Source = "gone.csv", FullPath = full, Target = "-1" }));

        Assert.Equal($"gone.csv: file not found ({full})", ex.Message);
    }

    [Fact]
    public void An_empty_file_has_no_rows() =>
        Assert.Equal("data.csv: the file has no rows", Error("\n\n", "target: -1"));

    [Fact]
    public void A_header_without_rows_has_no_data_rows() =>
        Assert.Equal("data.csv: only a header line, no data rows", Error("a,b,label\n", "target: label, header: true"));

    [Fact]
    public void A_ragged_row_is_named_by_its_line()
    {
        Assert.Equal(
            "data.csv: row 4 has 2 values but the header names 3; every row needs one value per column",
            Error("a,b,y\n1,2,0\n3,4,1\n5,6\n7,8,1\n", "target: y"));
        Assert.Equal(
            "data.csv: row 3 has 4 values but row 1 has 3; every row needs one value per column",
            Error("1,2,0\n3,4,1\n5,6,0,9\n", "target: -1"));
    }

    [Fact]
    public void A_non_numeric_feature_that_is_not_declared_categorical_names_row_column_and_value()
    {
        var rows = string.Concat(Enumerable.Range(1, 10).Select(i => $"0.{i},0.5,0.25,0.1,0.2,0.3,0.4,R\n"));
        var message = Error(rows + "0.1,0.2,0.3,0.4,0.5,0.6,abc,M\n", "target: -1", file: "sonar.csv");

        Assert.Equal("sonar.csv: row 11, column 7: 'abc' is not a number; declare the column in categorical or fix the file", message);
    }

    [Fact]
    public void A_target_column_that_does_not_exist_names_what_does()
    {
        Assert.Equal(
            "data.csv: target column 'lable' does not exist (did you mean 'label'?); the header has: a, b, label",
            Error("a,b,label\n1,2,x\n3,4,y\n", "target: lable"));
        Assert.Equal(
            "data.csv: target column 5 does not exist: the file has 3 columns (0 to 2, or -3 to -1 from the end)",
            Error("1,2,x\n3,4,y\n", "target: 5"));
        Assert.Equal(
            "data.csv: target column 'label' does not exist: the file has no header line, so columns are numbered (0 is the first, -1 the last); set header: true if its first line names the columns",
            Error("1,2,x\n3,4,y\n", "target: label"));
    }

    [Fact]
    public void A_feature_column_that_does_not_exist_is_named() =>
        Assert.Equal(
            "data.csv: feature column 'weight' does not exist; the header has: a, b, label",
            Error("a,b,label\n1,2,x\n3,4,y\n", "target: label, features: [a, weight]"));

    [Fact]
    public void A_feature_named_twice_is_an_error() =>
        Assert.Equal(
            "data.csv: features name column 1 'a' twice ('a' and '0')",
            Error("a,b,label\n1,2,x\n3,4,y\n", "target: label, features: [a, b, \"0\"]"));

    [Fact]
    public void A_single_class_is_an_error()
    {
        Assert.Equal(
            "data.csv: the target, column 3 'label', has a single class 'R'; classification needs at least two",
            Error("a,b,label\n1,2,R\n3,4,R\n", "target: label"));
        Assert.Equal(
            "data.csv: the target, column 2, has a single class '1'; classification needs at least two (for a numeric target set task: regression)",
            Error("1,1\n2,1\n", "target: -1"));
    }

    [Fact]
    public void A_text_value_in_a_regression_target_is_named()
    {
        Assert.Equal(
            "data.csv: row 3, column 2 'y': 'high' is not a number; a regression target must be numeric (or set task: classification)",
            Error("x,y\n1,2.5\n2,high\n", "target: y, task: regression"));
    }

    // ---- review fixes ----

    [Fact]
    public void A_header_name_held_by_two_columns_is_ambiguous_not_the_first_of_them()
    {
        // Before: 'x' silently meant column 1, and 'X' matching x and X ignoring case gave "does not exist".
        Assert.Equal(
            "data.csv: feature column 'x' is ambiguous: the header names column 1 'x' and column 2 'x'; rename one of them or refer to the column by index (0 is the first)",
            Error("x,x,y\n1,2,a\n3,4,b\n", "target: y, features: [x]"));
        Assert.Equal(
            "data.csv: target column 'LABEL' is ambiguous: the header names column 2 'label' and column 3 'Label'; rename one of them or refer to the column by index (0 is the first)",
            Error("a,label,Label\n1,a,b\n3,b,c\n", "target: LABEL"));
        // An exact match still wins over matches ignoring case.
        Assert.Equal(["b", "c"], Load("a,label,Label\n1,a,b\n3,b,c\n", "target: Label, features: [a]").ClassNames!);
    }

    [Fact]
    public void A_missing_target_with_missing_error_does_not_suggest_mean()
    {
        // Before: the message offered missing: mean, which then failed with "a target cannot be filled in".
        Assert.Equal(
            "data.csv: row 3, column 2 'y': the target is missing (missing value '?'); a target cannot be filled in: set missing: drop (skip such rows) or fix the file",
            Error("a,y\n1,0\n2,?\n3,1\n", "target: y"));
    }

    [Fact]
    public void The_first_missing_value_is_the_leftmost_whatever_the_order_of_features()
    {
        // Before: the features' listed order decided, so column 3 was named although column 1 comes first.
        Assert.Equal(
            "data.csv: row 3, column 1 'a': missing value '?'; set missing: drop (skip such rows) or missing: mean (fill features with the training mean), or fix the file",
            Error("a,b,c,y\n1,2,3,0\n?,2,?,1\n", "target: y, features: [c, a]"));
    }
}

/// <summary>The UCI files in data/uci, found from the repository root.</summary>
internal static class UciDatasets
{
    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "ExperimentRunner.sln"))) return dir.FullName;
        }
        throw new InvalidOperationException($"no ExperimentRunner.sln above {AppContext.BaseDirectory}");
    }

    public static string Path(string file) => System.IO.Path.GetFullPath(System.IO.Path.Combine(RepositoryRoot(), "data", "uci", file));

    public static string Config(string name) => System.IO.Path.Combine(RepositoryRoot(), "configs", name);
}
