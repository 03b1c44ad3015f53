using System.CommandLine;
using System.Text.Json;
using ExperimentRunner.Cli;
using ExperimentRunner.Cli.Commands;
using ExperimentRunner.Core.Catalog;
using ExperimentRunner.Core.Config;
using ExperimentRunner.Core.Config.Raw;
using ExperimentRunner.Core.Problems;

namespace ExperimentRunner.Tests.Cli;

public sealed class ListAndSchemaTests
{
    private static readonly string Configs = Path.Combine(AppContext.BaseDirectory, "configs");

    // ---- list ----

    public static TheoryData<string, CatalogKind> KindWords => new()
    {
        { "losses", CatalogKind.Loss },
        { "activations", CatalogKind.Activation },
        { "output-activations", CatalogKind.OutputActivation },
        { "architectures", CatalogKind.Architecture },
        { "datasets", CatalogKind.Dataset },
        { "optimizers", CatalogKind.Optimizer },
        { "schedulers", CatalogKind.Scheduler },
        { "metrics", CatalogKind.Metric },
        { "Loss", CatalogKind.Loss },
        { "OUTPUT-ACTIVATION", CatalogKind.OutputActivation },
        { "output_activations", CatalogKind.OutputActivation },
        { "metric", CatalogKind.Metric },
        { "layers", CatalogKind.Layer },
    };

    [Theory]
    [MemberData(nameof(KindWords))]
    public void List_of_a_kind_shows_every_entry_with_its_aliases_and_parameters(string word, CatalogKind kind)
    {
        var (code, stdout, stderr) = Cli("list", word);

        Assert.Equal(ExitCodes.Ok, code);
        Assert.Equal("", stderr);
        var lines = stdout.Split('\n');
        foreach (var entry in Catalogs.Default.EntriesOf(kind))
        {
            // An entry starts at the left margin with its name, followed by its aliases.
            var header = entry.Aliases.Count == 0 ? entry.Name : $"{entry.Name}  (aliases: {string.Join(", ", entry.Aliases)})";
            var at = Array.IndexOf(lines, header);
            Assert.True(at >= 0, $"no line '{header}' in:\n{stdout}");
            Assert.Equal($"    {entry.Description}", lines[at + 1]);
            var block = string.Join("\n", lines.Skip(at + 1).TakeWhile(l => l.Length > 0));
            foreach (var p in entry.Params)
                Assert.Matches($@"\n      {System.Text.RegularExpressions.Regex.Escape(p.Name)} +\S", block);
        }
        // Only the asked kind.
        var other = kind == CatalogKind.Loss ? "optimizers (" : "losses (";
        Assert.DoesNotContain(other, stdout);
    }

    [Fact]
    public void List_without_a_kind_shows_every_kind_in_order()
    {
        var (code, stdout, _) = Cli("list");

        Assert.Equal(ExitCodes.Ok, code);
        string[] titles = ["losses", "activations", "output-activations", "architectures", "datasets", "optimizers", "schedulers", "metrics", "layers"];
        CatalogKind[] kinds = [.. Catalogs.Listable, CatalogKind.Layer];
        var positions = titles.Select((t, i) => stdout.IndexOf($"{t} ({Catalogs.Default.EntriesOf(kinds[i]).Count})\n", StringComparison.Ordinal)).ToList();
        Assert.All(positions, p => Assert.True(p >= 0));
        Assert.Equal(positions.Order(), positions);
        foreach (var kind in kinds)
        {
            foreach (var entry in Catalogs.Default.EntriesOf(kind)) Assert.Contains($"\n{entry.Name}", stdout);
        }
        Assert.DoesNotContain("\u001b[", stdout); // no colours when not interactive
    }

    [Fact]
    public void List_shows_what_a_loss_expects_and_the_bounds_of_an_activation()
    {
        var losses = Cli("list", "losses").Stdout;
        Assert.Contains("cross_entropy  (aliases: ce", losses);
        Assert.Contains("    expects raw logits (output_activation auto picks identity)\n    class targets as class indices; tasks: classification\n", losses);
        Assert.Contains("    expects log-probabilities (output_activation auto picks log_softmax)", losses);
        Assert.Contains("    expects probabilities (output_activation auto picks sigmoid)\n    class targets as one-hot vectors; tasks: classification\n", losses);
        Assert.Contains("class targets as one-hot vectors; tasks: classification, regression", losses);
        Assert.Matches(@"\n      delta +number +1\.0 +> 0 +where the quadratic part ends\n", losses);

        var activations = Cli("list", "activations").Stdout;
        Assert.Contains("relu\n    max(0, x); cheap, units can die\n    output range: [0, +inf)\n", activations);
        Assert.Contains("    output range: [-1, 1]", activations);
        Assert.Contains("    output range: unbounded", activations);
        Assert.Matches(@"\n      approximate +choice +none +none \| tanh +", activations);

        var optimizers = Cli("list", "optimizers").Stdout;
        Assert.Matches(@"\n      betas +numbers +\[0\.9, 0\.999\] +each >= 0 and <= 1; 2 items +", optimizers);
        Assert.Matches(@"\n      eps +number +1e-08 +> 0 +", optimizers);
    }

    [Theory]
    [InlineData("lossses", "(did you mean 'losses'?)")]
    [InlineData("activaton", "(did you mean 'activation'?)")]
    [InlineData("optimisers", "(did you mean 'optimizers'?)")]
    [InlineData("banana", "; allowed: losses, activations, output-activations, architectures, datasets, optimizers, schedulers, metrics, layers")]
    public void List_of_an_unknown_kind_is_a_usage_error_with_a_suggestion(string word, string hint)
    {
        var (code, stdout, stderr) = Cli("list", word);

        Assert.Equal(ExitCodes.UsageError, code);
        Assert.Equal("", stdout);
        Assert.StartsWith($"error: unknown kind '{word}'", stderr);
        Assert.Contains(hint, stderr);
    }

    // ---- schema ----

    [Fact]
    public void Schema_is_draft_2020_12_json_and_closed_at_every_level()
    {
        var (code, stdout, stderr) = Cli("schema");

        Assert.Equal(ExitCodes.Ok, code);
        Assert.Equal("", stderr);
        using var doc = JsonDocument.Parse(stdout);
        var root = doc.RootElement;
        Assert.Equal("https://json-schema.org/draft/2020-12/schema", root.GetProperty("$schema").GetString());
        Assert.False(root.GetProperty("additionalProperties").GetBoolean());
        // Required unless the file extends bases, which may hold them.
        Assert.Equal(["extends"], root.GetProperty("if").GetProperty("required").EnumerateArray().Select(e => e.GetString()!));
        Assert.Equal(["name", "dataset", "model", "loss"], root.GetProperty("else").GetProperty("required").EnumerateArray().Select(e => e.GetString()!));
        foreach (var field in ExperimentSchema.Fields) Assert.True(root.GetProperty("properties").TryGetProperty(field.Name, out _), field.Name);
        Assert.True(root.GetProperty("properties").TryGetProperty("sweep", out var sweep));
        foreach (var key in new[] { "method", "parameters", "seeds", "samples", "exclude", "sampler_seed" })
            Assert.True(sweep.GetProperty("properties").TryGetProperty(key, out _), key);

        // Every object schema with properties forbids others (unknown keys are errors in the loader too).
        foreach (var obj in Objects(root).Where(o => o.TryGetProperty("properties", out _) && o.TryGetProperty("type", out _)))
            Assert.True(obj.TryGetProperty("additionalProperties", out var ap) && ap.ValueKind == JsonValueKind.False, obj.ToString());

        // Every $ref points at something in the document.
        foreach (var obj in Objects(root))
        {
            if (obj.TryGetProperty("$ref", out var reference)) Assert.True(Resolve(root, reference.GetString()!) is not null, reference.GetString());
        }
    }

    [Fact]
    public void Schema_names_every_catalog_entry_and_alias_and_its_parameters_with_ranges()
    {
        using var doc = JsonDocument.Parse(Cli("schema").Stdout);
        var root = doc.RootElement;
        var strings = Objects(root).SelectMany(o => o.EnumerateObject()).SelectMany(p => Strings(p.Value)).ToHashSet();
        foreach (var kind in Catalogs.Listable)
        {
            foreach (var entry in Catalogs.Default.EntriesOf(kind))
            {
                foreach (var name in entry.Aliases.Prepend(entry.Name)) Assert.Contains(name, strings);
            }
        }

        var defs = root.GetProperty("$defs");
        var loss = defs.GetProperty("loss").GetProperty("oneOf").EnumerateArray().ToList();
        Assert.Equal("#/$defs/loss_name", loss[0].GetProperty("$ref").GetString());
        var huber = loss.Single(o => o.TryGetProperty("title", out var t) && t.GetString() == "huber");
        Assert.Equal("huber", huber.GetProperty("properties").GetProperty("name").GetProperty("const").GetString());
        var delta = huber.GetProperty("properties").GetProperty("delta");
        Assert.Equal("number", delta.GetProperty("type").GetString());
        Assert.Equal(0, delta.GetProperty("exclusiveMinimum").GetDouble());
        Assert.Equal(1.0, delta.GetProperty("default").GetDouble());

        var model = defs.GetProperty("architecture").GetProperty("oneOf")[1];
        Assert.Equal(["mlp", "dense", "feedforward"], model.GetProperty("properties").GetProperty("architecture").GetProperty("enum").EnumerateArray().Select(e => e.GetString()!));
        var dropout = model.GetProperty("properties").GetProperty("dropout");
        Assert.Equal(1, dropout.GetProperty("exclusiveMaximum").GetDouble());
        Assert.Equal(["none", "batch", "layer"], model.GetProperty("properties").GetProperty("norm").GetProperty("enum").EnumerateArray().Select(e => e.GetString()!));

        var split = defs.GetProperty("dataset").GetProperty("oneOf")[1].GetProperty("properties").GetProperty("split");
        Assert.Equal(3, split.GetProperty("minItems").GetInt32());
        Assert.Equal(3, split.GetProperty("maxItems").GetInt32());
        Assert.Equal("number", split.GetProperty("items").GetProperty("type").GetString());
    }

    [Fact]
    public void Schema_knows_every_key_of_the_quickstart_config()
    {
        using var doc = JsonDocument.Parse(Cli("schema").Stdout);
        var problems = new ProblemBag();
        var quickstart = RawTreeReader.Read(File.ReadAllText(Path.Combine(Configs, "quickstart.yaml")), "quickstart.yaml", problems);
        Assert.False(problems.HasErrors);

        var missing = new List<string>();
        CheckKeys(doc.RootElement, doc.RootElement, quickstart!, "", missing);
        Assert.Empty(missing);
        Assert.True(KeyCount(quickstart!) > 30);
    }

    [Fact]
    public void Schema_sweep_parameters_list_the_dotted_keys_with_typed_values()
    {
        using var doc = JsonDocument.Parse(Cli("schema").Stdout);
        var root = doc.RootElement;
        var parameters = root.GetProperty("properties").GetProperty("sweep").GetProperty("properties").GetProperty("parameters");
        Assert.False(parameters.GetProperty("additionalProperties").GetBoolean());
        var paths = parameters.GetProperty("properties").EnumerateObject().Select(p => p.Name).ToHashSet();
        foreach (var path in new[] { "loss", "loss.name", "loss.delta", "model.activation", "model.activation.negative_slope", "optimizer.lr", "training.epochs", "dataset.split", "metrics" })
            Assert.Contains(path, paths);
        Assert.DoesNotContain("name", paths);
        Assert.DoesNotContain("seed", paths);

        var epochs = parameters.GetProperty("properties").GetProperty("training.epochs").GetProperty("oneOf");
        Assert.Equal(3, epochs.GetArrayLength()); // list, {values: list}, distribution
        var item = Resolve(root, epochs[0].GetProperty("items").GetProperty("$ref").GetString()!)!.Value;
        Assert.Equal("integer", item.GetProperty("type").GetString());
        Assert.Equal(1, item.GetProperty("minimum").GetInt32());

        // Optimizers differ in their default rate: one reference per distinct spec, all numbers.
        var lrs = parameters.GetProperty("properties").GetProperty("optimizer.lr").GetProperty("oneOf")[0].GetProperty("items").GetProperty("anyOf");
        Assert.Equal(2, lrs.GetArrayLength());
        Assert.All(lrs.EnumerateArray(), r => Assert.Equal("number", Resolve(root, r.GetProperty("$ref").GetString()!)!.Value.GetProperty("type").GetString()));
        Assert.Equal(2, parameters.GetProperty("properties").GetProperty("model.activation").GetProperty("oneOf").GetArrayLength()); // names take no distribution
    }

    [Fact]
    public void Schema_is_the_same_text_every_time()
    {
        Assert.Equal(Cli("schema").Stdout, Cli("schema").Stdout);
    }

    [Fact]
    public void Schema_with_output_writes_the_file_and_leaves_no_temp_file()
    {
        var dir = Directory.CreateTempSubdirectory("exprun-schema-");
        try
        {
            var file = Path.Combine(dir.FullName, "sub", "experiment.schema.json");
            Directory.CreateDirectory(Path.GetDirectoryName(file)!);
            File.WriteAllText(file, "old content");

            var (code, stdout, stderr) = Cli("schema", "-o", file);

            Assert.Equal(ExitCodes.Ok, code);
            Assert.Equal("", stderr);
            Assert.Contains(file, stdout);
            Assert.Equal(Cli("schema").Stdout, File.ReadAllText(file));
            Assert.Equal([file], Directory.GetFiles(Path.GetDirectoryName(file)!));

            var created = Path.Combine(dir.FullName, "new", "deeper", "s.json");
            Assert.Equal(ExitCodes.Ok, Cli("schema", "--output", created).Code);
            using var _ = JsonDocument.Parse(File.ReadAllText(created));
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    // ---- validate ----

    [Theory]
    [InlineData("configs")]
    [InlineData("experiments")]
    public void Validate_accepts_every_shipped_experiment_file(string folder)
    {
        // The repository's own folder, not the copy in bin/: data paths in these files are relative to them.
        var dir = Path.Combine(RepositoryRoot(), folder);
        var (code, stdout, stderr) = Cli("validate", Path.Combine(dir, "*.yaml"));

        Assert.True(code == ExitCodes.Ok, stderr);
        Assert.Equal("", stderr);
        var files = Directory.GetFiles(dir, "*.yaml");
        Assert.NotEmpty(files);
        foreach (var file in files)
            Assert.Contains($"ok {file} (", stdout);
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ExperimentRunner.sln"))) return dir.FullName;
        }
        throw new InvalidOperationException($"no ExperimentRunner.sln above {AppContext.BaseDirectory}");
    }

    [Fact]
    public void Validate_expands_double_star_and_names_missing_matches()
    {
        var (code, stdout, stderr) = Cli("validate", Path.Combine(AppContext.BaseDirectory, "**", "quickstart.yaml"), Path.Combine(Configs, "*.nothing"));

        Assert.Equal(ExitCodes.UsageError, code);
        Assert.Contains($"ok {Path.Combine(Configs, "quickstart.yaml")} (1 trial)", stdout);
        Assert.Contains($"{Path.Combine(Configs, "*.nothing")}: error: no files match this pattern", stderr);
    }

    [Fact]
    public void Validate_prints_warnings_of_valid_files_on_stdout()
    {
        var dir = Directory.CreateTempSubdirectory("exprun-validate-");
        try
        {
            var file = Path.Combine(dir.FullName, "twice.yaml");
            File.WriteAllText(file, """
                name: softmax-twice
                dataset: {name: moons, samples: 200}
                model: {architecture: mlp, hidden: [8], output_activation: softmax}
                loss: cross_entropy
                sweep:
                  parameters:
                    model.activation: [relu, tanh]
                  seeds: 2
                """);

            var (code, stdout, stderr) = Cli("validate", file);

            Assert.Equal(ExitCodes.Ok, code);
            Assert.Equal("", stderr);
            Assert.Contains($"ok {file} (4 trials)\n", stdout);
            var warning = Assert.Single(stdout.Split('\n'), l => l.Contains("warning:"));
            Assert.Contains("applied twice", warning);
            Assert.StartsWith($"{file}:3:", warning);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(1, 1)]
    public void Validate_smoke_runs_the_hook_for_each_valid_experiment(int hookResult, int expected)
    {
        var seen = new List<LoadedExperiment>();
        var context = Context(out var o, out var e);
        var command = ValidateCommand.Create(context, (experiment, writer) =>
        {
            seen.Add(experiment);
            writer.WriteLine($"smoked {experiment.Name}");
            return hookResult;
        });

        var (code, stdout, _) = Invoke(command, o, e, "validate", Path.Combine(Configs, "quickstart.yaml"), "--smoke");

        Assert.Equal(expected, code);
        Assert.Equal("quickstart", Assert.Single(seen).Name);
        Assert.Contains("smoked quickstart", stdout);
    }

    [Fact]
    public void Validate_smoke_trains_nothing_when_a_file_is_invalid()
    {
        var calls = 0;
        var context = Context(out var o, out var e);
        var command = ValidateCommand.Create(context, (_, _) => ++calls);
        var broken = Path.Combine(AppContext.BaseDirectory, "Broken", "typo_activation.yaml");

        var (code, _, stderr) = Invoke(command, o, e, "validate", Path.Combine(Configs, "quickstart.yaml"), broken, "--smoke");

        Assert.Equal(ExitCodes.UsageError, code);
        Assert.Equal(0, calls);
        Assert.Contains("1 of 2 files has errors", stderr);
    }

    // ---- helpers ----

    private static (int Code, string Stdout, string Stderr) Cli(params string[] args)
    {
        var context = Context(out var stdout, out var stderr);
        var code = ExprunCli.Run(args, context);
        return (code, stdout.ToString(), stderr.ToString());
    }

    private static CliContext Context(out StringWriter stdout, out StringWriter stderr)
    {
        stdout = new StringWriter { NewLine = "\n" };
        stderr = new StringWriter { NewLine = "\n" };
        return new CliContext(stdout, stderr, TimeProvider.System, TestRuntime.Instance);
    }

    private static (int Code, string Stdout, string Stderr) Invoke(Command command, StringWriter stdout, StringWriter stderr, params string[] args)
    {
        var root = new RootCommand("test") { command };
        var parse = root.Parse(args);
        Assert.Empty(parse.Errors);
        var code = parse.Invoke(new InvocationConfiguration { Output = stdout, Error = stderr });
        return (code, stdout.ToString(), stderr.ToString());
    }

    private static IEnumerable<JsonElement> Objects(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                yield return element;
                foreach (var p in element.EnumerateObject())
                {
                    foreach (var o in Objects(p.Value)) yield return o;
                }
                break;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray())
                {
                    foreach (var o in Objects(item)) yield return o;
                }
                break;
        }
    }

    private static IEnumerable<string> Strings(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.String => [element.GetString()!],
        JsonValueKind.Array => element.EnumerateArray().SelectMany(Strings),
        _ => [],
    };

    private static JsonElement? Resolve(JsonElement root, string reference)
    {
        if (!reference.StartsWith("#/", StringComparison.Ordinal)) return null;
        var node = root;
        foreach (var raw in reference[2..].Split('/'))
        {
            var part = raw.Replace("~1", "/").Replace("~0", "~");
            if (node.ValueKind == JsonValueKind.Object && node.TryGetProperty(part, out var child)) node = child;
            else if (node.ValueKind == JsonValueKind.Array && int.TryParse(part, out var i) && i < node.GetArrayLength()) node = node[i];
            else return null;
        }
        return node;
    }

    /// <summary>Every schema a value at this position may have to satisfy: through $ref, oneOf and anyOf.</summary>
    private static IEnumerable<JsonElement> Alternatives(JsonElement root, JsonElement schema)
    {
        yield return schema;
        if (schema.TryGetProperty("$ref", out var r) && Resolve(root, r.GetString()!) is { } target)
        {
            foreach (var a in Alternatives(root, target)) yield return a;
        }
        foreach (var combinator in new[] { "oneOf", "anyOf" })
        {
            if (!schema.TryGetProperty(combinator, out var options)) continue;
            foreach (var option in options.EnumerateArray())
            {
                foreach (var a in Alternatives(root, option)) yield return a;
            }
        }
    }

    private static void CheckKeys(JsonElement root, JsonElement schema, RawNode node, string path, List<string> missing)
    {
        if (node is not RawMapping map) return;
        foreach (var entry in map.Entries)
        {
            var keyPath = path.Length == 0 ? entry.Key : $"{path}.{entry.Key}";
            var found = Alternatives(root, schema)
                .Where(s => s.TryGetProperty("properties", out var props) && props.TryGetProperty(entry.Key, out _))
                .Select(s => s.GetProperty("properties").GetProperty(entry.Key))
                .ToList();
            if (found.Count == 0) missing.Add(keyPath);
            else CheckKeys(root, found[0], entry.Value, keyPath, missing);
        }
    }

    private static int KeyCount(RawNode node) => node is RawMapping m ? m.Entries.Sum(e => 1 + KeyCount(e.Value)) : 0;
}
