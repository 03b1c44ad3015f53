using ExperimentRunner.Core.Metrics;

namespace ExperimentRunner.Tests.Core;

public class MetricCalculatorTests
{
    // predicted 0 0 1 1 2 0
    // actual    0 1 1 1 2 2      (class 3 of 4 never occurs: left out of the macro mean)
    // class 0: predicted 3, actual 1, tp 1 -> P 1/3, R 1,   F1 = 2*1/(3+1) = 1/2
    // class 1: predicted 2, actual 3, tp 2 -> P 1,   R 2/3, F1 = 2*2/(2+3) = 4/5
    // class 2: predicted 1, actual 2, tp 1 -> P 1,   R 1/2, F1 = 2*1/(1+2) = 2/3
    private static readonly long[] Predicted = [0, 0, 1, 1, 2, 0];
    private static readonly long[] Actual = [0, 1, 1, 1, 2, 2];

    [Theory]
    [InlineData("accuracy", 4.0 / 6)]                        // 4 of 6 right
    [InlineData("precision_macro", (1.0 / 3 + 1 + 1) / 3)]   // 7/9
    [InlineData("recall_macro", (1 + 2.0 / 3 + 0.5) / 3)]    // 13/18
    [InlineData("f1_macro", (0.5 + 0.8 + 2.0 / 3) / 3)]      // 59/90
    [InlineData("acc", 4.0 / 6)]
    [InlineData("balanced_accuracy", 13.0 / 18)]
    [InlineData("F1", 59.0 / 90)]
    public void Classification_metrics_match_hand_computation(string name, double expected) =>
        Assert.Equal(expected, MetricCalculator.Classification(name, Predicted, Actual, 4), 1e-12);

    [Fact]
    public void A_class_never_predicted_scores_zero_precision()
    {
        // predicted 0 0 0, actual 0 1 1
        // class 0: P 1/3, R 1, F1 2/(3+1) = 1/2; class 1: no predictions -> P 0, R 0, F1 0
        long[] predicted = [0, 0, 0], actual = [0, 1, 1];
        Assert.Equal(1.0 / 6, MetricCalculator.Classification("precision_macro", predicted, actual, 2), 1e-12);
        Assert.Equal(0.5, MetricCalculator.Classification("recall_macro", predicted, actual, 2), 1e-12);
        Assert.Equal(0.25, MetricCalculator.Classification("f1_macro", predicted, actual, 2), 1e-12);
        Assert.Equal(1.0 / 3, MetricCalculator.Classification("accuracy", predicted, actual, 2), 1e-12);
    }

    [Fact]
    public void A_class_only_predicted_counts_in_the_macro_mean()
    {
        // predicted 0 2, actual 0 0: classes {0, 2}; class 0 P 1 R 1/2, class 2 P 0 R 0 (never a target)
        long[] predicted = [0, 2], actual = [0, 0];
        Assert.Equal(0.5, MetricCalculator.Classification("precision_macro", predicted, actual, 3), 1e-12);
        Assert.Equal(0.25, MetricCalculator.Classification("recall_macro", predicted, actual, 3), 1e-12);
        // F1: class 0 = 2*1/(1+2) = 2/3, class 2 = 0
        Assert.Equal(1.0 / 3, MetricCalculator.Classification("f1_macro", predicted, actual, 3), 1e-12);
    }

    // predicted 2 4 6, actual 1 5 6: errors 1, -1, 0
    // mae = 2/3, rmse = sqrt(2/3); mean(actual) = 4, SStot = 9 + 1 + 4 = 14, SSres = 2, r2 = 1 - 2/14 = 6/7
    [Theory]
    [InlineData("mae", 2.0 / 3)]
    [InlineData("rmse", 0.816496580927726)]
    [InlineData("r2", 6.0 / 7)]
    [InlineData("r_squared", 6.0 / 7)]
    public void Regression_metrics_match_hand_computation(string name, double expected) =>
        Assert.Equal(expected, MetricCalculator.Regression(name, [2f, 4f, 6f], [1f, 5f, 6f]), 1e-12);

    [Fact]
    public void R2_of_a_constant_target_is_one_when_exact_and_zero_otherwise()
    {
        Assert.Equal(1.0, MetricCalculator.Regression("r2", [3f, 3f], [3f, 3f]));
        Assert.Equal(0.0, MetricCalculator.Regression("r2", [3f, 4f], [3f, 3f]));
    }

    [Fact]
    public void R2_below_zero_when_worse_than_the_mean()
    {
        // actual 0 2 (mean 1, SStot 2), predicted 2 0: SSres 8 -> 1 - 8/2 = -3
        Assert.Equal(-3.0, MetricCalculator.Regression("r2", [2f, 0f], [0f, 2f]), 1e-12);
    }

    [Fact]
    public void Unknown_or_wrong_task_names_list_the_valid_ones()
    {
        var unknown = Assert.Throws<ArgumentException>(() => MetricCalculator.Classification("auc", Predicted, Actual, 4));
        Assert.Contains("accuracy", unknown.Message);
        Assert.Contains("recall_macro", unknown.Message);
        var wrongTask = Assert.Throws<ArgumentException>(() => MetricCalculator.Regression("accuracy", [1f], [1f]));
        Assert.Contains("mae, rmse, r2", wrongTask.Message);
        Assert.Throws<ArgumentException>(() => MetricCalculator.HigherIsBetter("auc"));
    }

    [Fact]
    public void Mismatched_lengths_and_out_of_range_labels_are_rejected()
    {
        Assert.Throws<ArgumentException>(() => MetricCalculator.Classification("accuracy", [0L], [0L, 1L], 2));
        Assert.Throws<ArgumentException>(() => MetricCalculator.Classification("accuracy", [5L], [0L], 2));
    }

    [Theory]
    [InlineData("accuracy", true)]
    [InlineData("f1_macro", true)]
    [InlineData("r2", true)]
    [InlineData("mae", false)]
    [InlineData("rmse", false)]
    public void Direction_comes_from_the_catalog(string name, bool higher) =>
        Assert.Equal(higher, MetricCalculator.HigherIsBetter(name));
}
