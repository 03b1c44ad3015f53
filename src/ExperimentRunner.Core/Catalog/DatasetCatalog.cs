namespace ExperimentRunner.Core.Catalog;

public sealed record DatasetEntry(string Name, string Description, IReadOnlyList<ParamSpec> Params) : CatalogEntry(Name, Description, Params)
{
    /// <summary>The task, when the name alone decides it (null: read from the data, e.g. csv).</summary>
    public TaskKind? Task { get; init; }
    /// <summary>Number of classes when fixed by the dataset (moons: 2); otherwise the <c>classes</c> parameter.</summary>
    public int? FixedClasses { get; init; }
}

public static class DatasetCatalog
{
    public static readonly double[] DefaultSplit = [0.7, 0.15, 0.15];

    private static ParamSpec[] Common(int samples, double noise) =>
    [
        P.Int("samples", samples, "number of examples generated", min: 8, max: 10_000_000),
        P.Float("noise", noise, "standard deviation of the Gaussian noise added", min: 0),
        P.Floats("split", DefaultSplit, "train, validation and test fractions (sum 1); classes are stratified", min: 0, max: 1, minCount: 3, maxCount: 3),
    ];

    private static ParamSpec[] With(ParamSpec[] common, params ParamSpec[] own) => [.. own, .. common];

    public static Registry<DatasetEntry> Create() => new(CatalogKind.Dataset,
    [
        new("spirals", "interleaved 2-D spiral arms, one per class; needs a non-linear boundary",
            With(Common(1500, 0.2), P.Int("classes", 3, "number of spiral arms", min: 2, max: 100), P.Float("turns", 1.0, "revolutions of each arm", min: 0.1, max: 10)))
            { Task = TaskKind.Classification },
        new("moons", "two interleaving half circles (2 classes)", Common(1000, 0.15))
            { Task = TaskKind.Classification, FixedClasses = 2 },
        new("circles", "a small circle inside a large one (2 classes)",
            With(Common(1000, 0.08), P.Float("factor", 0.5, "inner radius relative to the outer", min: 0, max: 1, minExclusive: true, maxExclusive: true)))
            { Task = TaskKind.Classification, FixedClasses = 2 },
        new("xor", "points in [-1,1]^2 labelled by the sign of x*y (2 classes)", Common(1000, 0.05))
            { Task = TaskKind.Classification, FixedClasses = 2 },
        new("blobs", "isotropic Gaussian clusters, one per class",
            With(Common(1000, 1.0), P.Int("classes", 3, "number of clusters", min: 2, max: 1000), P.Int("features", 2, "input dimensions", min: 1, max: 100_000), P.Float("spread", 5.0, "half-width of the box the centres are drawn from", min: 0, minExclusive: true)))
            { Task = TaskKind.Classification },
        new("sine", "y = sin(x) on [-pi*periods, pi*periods] (regression)",
            With(Common(1000, 0.1), P.Float("periods", 1.0, "how many periods the inputs span", min: 0.1, max: 100)))
            { Task = TaskKind.Regression },
        new("friedman1", "Friedman #1: 10 sin(pi x1 x2) + 20 (x3 - 0.5)^2 + 10 x4 + 5 x5 (regression)",
            With(Common(1000, 1.0), P.Int("features", 10, "input dimensions (only the first 5 matter)", min: 5, max: 100_000)))
            { Task = TaskKind.Regression },
    ]);
}
