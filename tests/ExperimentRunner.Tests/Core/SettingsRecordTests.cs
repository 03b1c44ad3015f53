using ExperimentRunner.Core.Catalog;
using ExperimentRunner.Core.Config;
using ExperimentRunner.Core.Config.Settings;

namespace ExperimentRunner.Tests.Core;

/// <summary>
/// Every parameter of every catalog entry lands in its typed settings record (the loader binds them once; nothing
/// below it reads settings by name), fed from the catalogs themselves: a parameter added to a catalog but not to
/// its record fails here.
/// </summary>
public class SettingsRecordTests
{
    private static readonly Dictionary<CatalogKind, Func<Component, object>> Readers = new()
    {
        [CatalogKind.Loss] = LossSettings.From,
        [CatalogKind.Activation] = ActivationSettings.From,
        [CatalogKind.OutputActivation] = ActivationSettings.From,
        [CatalogKind.Optimizer] = OptimizerSettings.From,
        [CatalogKind.Scheduler] = SchedulerSettings.From,
        [CatalogKind.Dataset] = DatasetSettings.From,
        [CatalogKind.Layer] = LayerSettings.From,
    };

    public static TheoryData<CatalogKind, string> Entries()
    {
        var data = new TheoryData<CatalogKind, string>();
        foreach (var kind in Readers.Keys)
            foreach (var entry in Catalogs.Default.EntriesOf(kind)) data.Add(kind, entry.Name);
        return data;
    }

    [Theory]
    [MemberData(nameof(Entries))]
    public void Every_parameter_of_every_entry_is_taken_by_its_settings_record(CatalogKind kind, string name)
    {
        var entry = Catalogs.Default.EntriesOf(kind).Single(e => e.Name == name);
        var settings = Readers[kind](Defaults(entry));

        // Each parameter with a default reaches a property of the same name (snake_case -> PascalCase), at any depth.
        var values = Flatten(settings).ToList();
        foreach (var param in entry.Params.Where(p => p.Default is not null))
            Assert.Contains(values, v => v.Name == Pascal(param.Name) && v.Value is not null);
    }

    [Fact]
    public void A_parameter_no_record_takes_fails_loudly()
    {
        var huber = Defaults(Catalogs.Default.Losses.Get("huber"));
        var extended = new Component(huber.Name, [.. huber.Values, new("tolerance", 0.5)], "name");

        var ex = Assert.Throws<InvalidOperationException>(() => LossSettings.From(extended));

        Assert.Equal("the settings of 'huber' do not take its parameter(s) tolerance", ex.Message);
    }

    [Fact]
    public void Typed_settings_carry_the_values_of_the_file()
    {
        var spec = Experiments.Single("""
            name: typed
            dataset: {name: blobs, classes: 4, features: 3, split: [0.6, 0.2, 0.2]}
            model: {architecture: mlp, hidden: [8, 4], activation: {name: leaky_relu, negative_slope: 0.2}, dropout: 0.1}
            loss: {name: huber, delta: 0.5}
            optimizer: {name: sgd, lr: 0.05, momentum: 0.9}
            scheduler: {name: step, step_size: 3, gamma: 0.5}
            """, ".").Spec;

        Assert.Equal((4, 3), (spec.Dataset.Generator!.Classes, spec.Dataset.Generator.Features));
        Assert.Equal([0.6, 0.2, 0.2], spec.Dataset.Split);
        Assert.Equal(("mlp", 0.1), (spec.Model.Architecture, spec.Model.Dropout));
        Assert.Equal([8L, 4L], spec.Model.Hidden);
        Assert.Equal(("leaky_relu", 0.2), (spec.Model.Activation.Name, spec.Model.Activation.NegativeSlope));
        Assert.Equal("identity", spec.Model.OutputActivation.Name);
        Assert.Equal(("huber", 0.5), (spec.Loss.Name, spec.Loss.Delta));
        Assert.Equal(("sgd", 0.05, 0.9, false), (spec.Optimizer.Name, spec.Optimizer.Lr, spec.Optimizer.Momentum, spec.Optimizer.Nesterov));
        Assert.Equal(("step", 3, 0.5), (spec.Scheduler.Name, spec.Scheduler.StepSize, spec.Scheduler.Gamma));
    }

    private static Component Defaults(CatalogEntry entry) =>
        new(entry.Name, entry.Params.Select(p => new KeyValuePair<string, object?>(p.Name, p.Default switch
        {
            long[] l => l.ToList(),
            double[] d => d.ToList(),
            string[] s => s.ToList(),
            // Required texts (a csv's path and target, idx files) have no default: any value binds.
            null when p.Required && p.Type == ParamType.String => "x",
            // A file dataset's split is unset by default; the loader writes the effective one before binding settings.
            null when p.Name == "split" => new List<double> { 0.7, 0.15, 0.15 },
            var other => other,
        })).ToList(), "name");

    private static string Pascal(string snake) => string.Concat(snake.Split('_').Select(w => char.ToUpperInvariant(w[0]) + w[1..]));

    private static IEnumerable<(string Name, object? Value)> Flatten(object record)
    {
        foreach (var property in record.GetType().GetProperties(System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.Public).Where(p => p.GetIndexParameters().Length == 0))
        {
            var value = property.GetValue(record);
            yield return (property.Name, value);
            if (value is not null && property.PropertyType.Namespace == typeof(LossSettings).Namespace && property.PropertyType.IsClass)
                foreach (var inner in Flatten(value)) yield return inner;
        }
    }
}
