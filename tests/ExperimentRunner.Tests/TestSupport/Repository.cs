namespace ExperimentRunner.Tests.TestSupport;

/// <summary>The checkout the tests were built from (the folder holding ExperimentRunner.sln).</summary>
public static class Repository
{
    public static string Root { get; } = Find();

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ExperimentRunner.sln"))) return dir.FullName;
        }
        throw new InvalidOperationException($"no ExperimentRunner.sln above {AppContext.BaseDirectory}");
    }
}
