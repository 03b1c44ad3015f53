using ExperimentRunner.Core.Catalog;

namespace ExperimentRunner.Tests.Core;

/// <summary>Builders are attached to catalog names: a missing or stray builder stops start-up with both lists.</summary>
public class FactoryTableTests
{
    private static Dictionary<string, int> AllSchedulers() =>
        Catalogs.Default.Schedulers.Names.Select((n, i) => (n, i)).ToDictionary(x => x.n, x => x.i);

    [Fact]
    public void A_catalog_name_without_a_builder_or_a_builder_without_a_name_is_refused()
    {
        var builders = AllSchedulers();
        builders.Remove("cosine");
        builders["sawtooth"] = 99;

        var ex = Assert.Throws<InvalidOperationException>(() => new FactoryTable<int>(Catalogs.Default.Schedulers, builders));

        Assert.Equal("scheduler builders do not match the catalog: no builder for cosine; builders for names the catalog lacks: sawtooth", ex.Message);
    }

    [Fact]
    public void Aliases_reach_their_entrys_builder_and_unknown_names_get_the_catalogs_message()
    {
        var table = new FactoryTable<int>(Catalogs.Default.Schedulers, AllSchedulers());

        Assert.Equal(table.For("reduce_on_plateau"), table.For("Plateau"));
        var ex = Assert.Throws<KeyNotFoundException>(() => table.For("cosin"));
        Assert.StartsWith("unknown scheduler 'cosin' (did you mean 'cosine'?)", ex.Message);
    }
}
