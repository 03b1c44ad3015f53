using ExperimentRunner.Core.Catalog;
using ExperimentRunner.Core.Data;

namespace ExperimentRunner.Tests.Core;

public class SplitterTests
{
    private static readonly double[] Default = [0.7, 0.15, 0.15];

    /// <summary>One feature holding the row number, so every row can be traced through a split.</summary>
    private static DataSet Numbered(IReadOnlyList<long> labels) => new()
    {
        Features = Enumerable.Range(0, labels.Count).Select(i => (float)i).ToArray(),
        Rows = labels.Count,
        Shape = [1],
        Task = TaskKind.Classification,
        Classes = (int)labels.Max() + 1,
        Labels = [.. labels],
    };

    private static DataSet NumberedRegression(int rows) => new()
    {
        Features = Enumerable.Range(0, rows).Select(i => (float)i).ToArray(),
        Rows = rows,
        Shape = [1],
        Task = TaskKind.Regression,
        Values = [.. Enumerable.Range(0, rows).Select(i => i * 10f)],
        Outputs = 1,
    };

    private static int[] ClassCounts(DataSet d, int classes) =>
        [.. Enumerable.Range(0, classes).Select(c => d.Labels!.Count(l => l == c))];

    [Theory]
    [InlineData(10, new[] { 0.7, 0.15, 0.15 }, new[] { 7, 2, 1 })]   // 7, 1.5, 1.5: the tie goes to the earlier split
    [InlineData(34, new[] { 0.7, 0.15, 0.15 }, new[] { 24, 5, 5 })]  // 23.8, 5.1, 5.1: floors 23+5+5, train has the largest remainder
    [InlineData(33, new[] { 0.7, 0.15, 0.15 }, new[] { 23, 5, 5 })]  // 23.1, 4.95, 4.95
    [InlineData(3, new[] { 0.8, 0.1, 0.1 }, new[] { 1, 1, 1 })]      // 2.4, 0.3, 0.3 -> 3,0,0, then one each moved from train
    [InlineData(2, new[] { 0.8, 0.1, 0.1 }, new[] { 2, 0, 0 })]      // fewer than 3 rows: no minimum
    [InlineData(10, new[] { 0.8, 0.2, 0.0 }, new[] { 8, 2, 0 })]     // a zero fraction stays empty
    public void Counts_round_by_largest_remainder(int n, double[] fractions, int[] expected) =>
        Assert.Equal(expected, Splitter.Counts(n, fractions));

    [Fact]
    public void Classification_is_stratified_per_class()
    {
        // 34 + 33 + 33 rows: per class 24/5/5, 23/5/5, 23/5/5 (see Counts_round_by_largest_remainder)
        var labels = Enumerable.Range(0, 100).Select(i => i < 34 ? 0L : i < 67 ? 1L : 2L).ToList();
        var splits = Splitter.Split(Numbered(labels), Default, 7);
        Assert.Equal([24, 23, 23], ClassCounts(splits.Train, 3));
        Assert.Equal([5, 5, 5], ClassCounts(splits.Validation, 3));
        Assert.Equal([5, 5, 5], ClassCounts(splits.Test, 3));
        Assert.Equal((70, 15, 15), (splits.Train.Rows, splits.Validation.Rows, splits.Test.Rows));
    }

    [Fact]
    public void A_class_of_three_reaches_every_split()
    {
        var labels = Enumerable.Repeat(0L, 50).Concat(Enumerable.Repeat(1L, 3)).ToList();
        var splits = Splitter.Split(Numbered(labels), [0.8, 0.1, 0.1], 1);
        Assert.Equal(1, ClassCounts(splits.Train, 2)[1]);
        Assert.Equal(1, ClassCounts(splits.Validation, 2)[1]);
        Assert.Equal(1, ClassCounts(splits.Test, 2)[1]);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void No_row_is_lost_or_duplicated_and_labels_travel_with_rows(bool classification)
    {
        var data = classification ? Numbered([.. Enumerable.Range(0, 97).Select(i => (long)(i % 4))]) : NumberedRegression(97);
        var splits = Splitter.Split(data, Default, 3);
        var all = new[] { splits.Train, splits.Validation, splits.Test };
        var rowIds = all.SelectMany(s => s.Features.ToArray()).Select(f => (int)f).Order();
        Assert.Equal(Enumerable.Range(0, 97), rowIds);
        foreach (var part in all)
        {
            for (var i = 0; i < part.Rows; i++)
            {
                var id = (int)part.Features.Span[i];
                if (classification) Assert.Equal(id % 4, part.Labels![i]);
                else Assert.Equal(id * 10f, part.Values![i]);
            }
        }
    }

    [Fact]
    public void Regression_split_sizes_follow_the_fractions()
    {
        var splits = Splitter.Split(NumberedRegression(100), Default, 3);
        Assert.Equal((70, 15, 15), (splits.Train.Rows, splits.Validation.Rows, splits.Test.Rows));
        Assert.False(splits.Train.Features.ToArray().SequenceEqual(splits.Train.Features.ToArray().Order()), "rows should be shuffled");
    }

    [Fact]
    public void Same_seed_same_split_other_seed_other_split()
    {
        var data = Numbered([.. Enumerable.Range(0, 60).Select(i => (long)(i % 3))]);
        var a = Splitter.Split(data, Default, 11);
        var b = Splitter.Split(data, Default, 11);
        var c = Splitter.Split(data, Default, 12);
        Assert.Equal(a.Train.Features.ToArray(), b.Train.Features.ToArray());
        Assert.Equal(a.Test.Features.ToArray(), b.Test.Features.ToArray());
        Assert.NotEqual(a.Train.Features.ToArray(), c.Train.Features.ToArray());
    }

    [Fact]
    public void Splits_are_not_ordered_by_class()
    {
        var data = Numbered([.. Enumerable.Range(0, 90).Select(i => (long)(i / 30))]);
        var train = Splitter.Split(data, Default, 5).Train;
        Assert.False(train.Labels!.SequenceEqual(train.Labels!.Order()));
    }

    [Theory]
    [InlineData(new[] { 0.7, 0.3 })]
    [InlineData(new[] { 0.7, 0.2, 0.2 })]
    [InlineData(new[] { 1.2, -0.1, -0.1 })]
    public void Bad_fractions_are_rejected(double[] fractions) =>
        Assert.Throws<ArgumentException>(() => Splitter.Split(NumberedRegression(10), fractions, 1));

    [Theory]
    [InlineData(new[] { 0.7, 0.15, 0.15 })]
    [InlineData(new[] { 0.85, 0.15 })]
    [InlineData(new[] { 1.0 })]
    public void Splitting_in_place_gives_the_same_parts_as_slices_of_one_array(double[] fractions)
    {
        var labels = Enumerable.Range(0, 103).Select(i => (long)(i % 4 == 0 ? 1 : i % 3)).ToList();
        var copied = Splitter.Parts(Numbered(labels), fractions, 9);
        var owned = Numbered(labels);
        var array = System.Runtime.InteropServices.MemoryMarshal.TryGetArray<float>(owned.Features, out var whole) ? whole.Array : null;

        var inPlace = Splitter.PartsInPlace(owned, fractions, 9);

        Assert.Equal(copied.Count, inPlace.Count);
        for (var p = 0; p < copied.Count; p++)
        {
            Assert.Equal(copied[p].Features.ToArray(), inPlace[p].Features.ToArray());
            Assert.Equal(copied[p].Labels!, inPlace[p].Labels!);
            Assert.True(System.Runtime.InteropServices.MemoryMarshal.TryGetArray<float>(inPlace[p].Features, out var slice) && ReferenceEquals(array, slice.Array), "a part is a slice of the loaded array, not a copy");
        }
        var regression = Splitter.PartsInPlace(NumberedRegression(40), fractions, 9);
        Assert.All(regression, part => Assert.Equal(part.Features.ToArray().Select(f => f * 10f), part.Values!));
    }
}
