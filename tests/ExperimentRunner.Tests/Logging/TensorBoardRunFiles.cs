using System.Globalization;

namespace ExperimentRunner.Tests.Logging;

/// <summary>Every event file of one TensorBoard run folder, read with the independent reader, in the order TensorBoard reads them (by name).</summary>
public sealed class TensorBoardRunFiles
{
    public TensorBoardRunFiles(string runDir)
    {
        Assert.True(Directory.Exists(runDir), $"no TensorBoard run folder {runDir}");
        Files = Directory.GetFiles(runDir).Order(StringComparer.Ordinal).Select(EventFileReader.Read).ToList();
        Assert.NotEmpty(Files);
    }

    public IReadOnlyList<EventFile> Files { get; }

    /// <summary>(file index, step, value) of every summary value, in reading order.</summary>
    public IEnumerable<(int File, long Step, double WallTime, EventValue Value)> Values() =>
        Files.SelectMany((f, i) => f.Events.SelectMany(e => e.Values.Select(v => (i, e.Step, e.WallTime, v))));

    /// <summary>Scalars by tag, each tag's steps in reading order; fails when any (tag, step) occurs twice in the run.</summary>
    public IReadOnlyDictionary<string, List<(long Step, float Value)>> Scalars()
    {
        var all = Values().Where(v => v.Value.SimpleValue is not null).ToList();
        var repeated = all.GroupBy(v => (v.Value.Tag, v.Step)).Where(g => g.Count() > 1).Select(g => $"{g.Key.Tag}@{g.Key.Step}").ToList();
        Assert.True(repeated.Count == 0, $"written more than once: {string.Join(", ", repeated)}");
        return all.GroupBy(v => v.Value.Tag).ToDictionary(g => g.Key, g => g.Select(v => (v.Step, v.Value.SimpleValue!.Value)).ToList());
    }

    /// <summary>The hparams plugin values of the run with their decoded content, failing on a repeated tag.</summary>
    public IReadOnlyDictionary<string, object> HParams()
    {
        var plugin = Values().Where(v => v.Value.PluginName is not null).ToList();
        Assert.All(plugin, v => Assert.Equal("hparams", v.Value.PluginName));
        Assert.All(plugin, v => Assert.Null(v.Value.SimpleValue));
        Assert.All(plugin, v => Assert.Equal(0, v.Step));
        var byTag = new Dictionary<string, object>();
        foreach (var v in plugin)
        {
            var (version, data) = HParamsReader.Parse(v.Value.PluginContent!);
            Assert.Equal(0, version);
            Assert.True(byTag.TryAdd(v.Value.Tag, data), $"hparams tag {v.Value.Tag} written twice");
        }
        return byTag;
    }

    public static double UnixSeconds(DateTimeOffset time) => time.ToUnixTimeMilliseconds() / 1000.0;

    public static float Cell(string text) => (float)double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);
}
