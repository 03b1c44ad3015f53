using System.Collections;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using ExperimentRunner.Core.Catalog;
using ExperimentRunner.Core.Config;
using ExperimentRunner.Core.Config.Extends;

namespace ExperimentRunner.Core.Schema;

/// <summary>
/// The JSON Schema (draft 2020-12) of experiment files, generated from <see cref="ExperimentSchema"/> and the
/// catalogs so editors complete and check exactly what the loader accepts. Nothing here is written by hand
/// but the <c>sweep</c> section, which mirrors <see cref="Sweeps.SweepParser"/>.
/// </summary>
public static class JsonSchemaWriter
{
    public const string Draft = "https://json-schema.org/draft/2020-12/schema";

    private static readonly string[] SweepMethods = ["grid", "zip", "random"];
    private static readonly string[] Distributions = ["uniform", "log_uniform", "int_uniform"];

    private static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = true,
        NewLine = "\n",
        // Descriptions hold quotes, '+' and '<'; keep them readable in the file.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>The schema as indented JSON text (LF line ends, stable key order, trailing newline).</summary>
    public static string Write(Catalogs catalogs) => new Builder(catalogs).Build().ToJsonString(Options) + "\n";

    private sealed class Builder(Catalogs catalogs)
    {
        // Definitions referenced so far ($defs/<name>); built after the main tree, in a stable order.
        private readonly SortedSet<(CatalogKind Kind, bool NameOnly)> _referenced = [];
        // Where each parameter's schema sits in the document, so sweep axes refer to it instead of repeating it.
        private readonly Dictionary<ParamSpec, string> _pointers = [];

        public JsonObject Build()
        {
            var fields = ExperimentSchema.Fields;
            var properties = new JsonObject();
            foreach (var field in fields) properties[field.Name] = Field(field, $"#/properties/{Escape(field.Name)}");
            var definitions = Definitions();
            properties["sweep"] = Sweep(fields);
            properties[BaseFiles.Key] = Extends();
            definitions[SweepDistributionDef] = Distribution();

            return new JsonObject
            {
                ["$schema"] = Draft,
                ["title"] = "exprun experiment file",
                ["description"] = "One experiment for exprun: dataset, model, loss, optimizer and training settings, optionally with a sweep section that expands it into many trials.",
                ["type"] = "object",
                ["properties"] = properties,
                // A file that extends bases may take its required keys from them, so they are required only without extends.
                ["if"] = new JsonObject { ["required"] = Strings([BaseFiles.Key]) },
                ["else"] = new JsonObject { ["required"] = Strings(fields.Where(f => f.Required).Select(f => f.Name)) },
                ["additionalProperties"] = false,
                ["$defs"] = definitions,
            };
        }

        private static JsonObject Extends()
        {
            var path = new JsonObject { ["type"] = "string", ["minLength"] = 1 };
            return new JsonObject
            {
                ["description"] = "base files this file builds on, relative to this file; a list applies in order. Mappings merge key by key, lists and scalars replace, and this file's keys win",
                ["oneOf"] = new JsonArray(path, new JsonObject { ["type"] = "array", ["items"] = path.DeepClone() }),
            };
        }

        // ---- fields ----

        private JsonObject Field(ParamSpec spec, string pointer)
        {
            _pointers.TryAdd(spec, pointer);
            var schema = new JsonObject();
            if (spec.Description.Length > 0) schema["description"] = spec.Description;
            foreach (var (key, value) in TypeOf(spec, pointer)) schema[key] = value?.DeepClone();
            if (!spec.Required && DefaultOf(spec, out var @default)) schema["default"] = @default;
            return schema;
        }

        /// <summary>The keywords that constrain a value of this parameter (no description, no default).</summary>
        private JsonObject TypeOf(ParamSpec spec, string pointer)
        {
            switch (spec.Type)
            {
                case ParamType.Int:
                    return Bounded(new JsonObject { ["type"] = TypeName("integer", spec.Nullable) }, spec, integer: true);
                case ParamType.Float:
                    return Bounded(new JsonObject { ["type"] = TypeName("number", spec.Nullable) }, spec, integer: false);
                case ParamType.Bool:
                    return new JsonObject { ["type"] = "boolean" };
                case ParamType.String:
                    // The loader takes any scalar as text (`target: -1` names a column), so numbers are text too.
                    var text = new JsonObject { ["type"] = Types(spec.Nullable, "string", "number") };
                    if (spec.Pattern is not null) text["pattern"] = spec.Pattern;
                    return text;
                case ParamType.Choice:
                    return new JsonObject { ["enum"] = Choices(spec.Choices ?? []) };
                case ParamType.TextList:
                    var words = new JsonObject { ["type"] = Types(false, "string", "number") };
                    return Counted(new JsonObject { ["type"] = TypeName("array", spec.Nullable), ["items"] = words, ["uniqueItems"] = true }, spec);
                case ParamType.IntList:
                case ParamType.FloatList:
                    var item = Bounded(new JsonObject { ["type"] = spec.Type == ParamType.IntList ? "integer" : "number" }, spec, spec.Type == ParamType.IntList);
                    return Counted(new JsonObject { ["type"] = TypeName("array", spec.Nullable), ["items"] = item }, spec);
                case ParamType.Component:
                    var options = new JsonArray(Ref(spec.Kind!.Value, nameOnly: false));
                    // A mapping without a name means the default entry (optimizer: {lr: 0.1} is adam), as the loader reads it.
                    if (spec.Default is string defaultName && catalogs.TryGet(spec.Kind.Value, defaultName, out var defaultEntry))
                        options.Add(Unnamed(defaultEntry, $"{pointer}/anyOf/1"));
                    if (spec.Nullable) options.Add(new JsonObject { ["type"] = "null" });
                    return options.Count == 1 ? (JsonObject)options[0]!.DeepClone() : new JsonObject { ["anyOf"] = options };
                case ParamType.ComponentList:
                    var names = spec.Kind is { } kind ? Ref(kind, nameOnly: true) : new JsonObject { ["enum"] = Choices(spec.Choices ?? []) };
                    return Counted(new JsonObject { ["type"] = "array", ["items"] = names, ["uniqueItems"] = true }, spec);
                case ParamType.ComponentSequence:
                    return Counted(new JsonObject { ["type"] = "array", ["items"] = Ref(spec.Kind!.Value, nameOnly: false) }, spec);
                case ParamType.Section:
                    return Section(spec.Fields ?? [], spec.Nullable, pointer);
                case ParamType.SectionList:
                    return Counted(new JsonObject { ["type"] = "array", ["items"] = Section(spec.Fields ?? [], nullable: false, $"{pointer}/items") }, spec);
                default:
                    throw new InvalidOperationException($"no JSON Schema for parameter type {spec.Type}");
            }
        }

        private JsonObject Unnamed(CatalogEntry entry, string pointer)
        {
            var properties = new JsonObject();
            foreach (var param in entry.Params) properties[param.Name] = Field(param, $"{pointer}/properties/{Escape(param.Name)}");
            return new JsonObject
            {
                ["title"] = $"{entry.Name} (the default, name omitted)",
                ["type"] = "object",
                ["properties"] = properties,
                ["required"] = Strings(entry.Params.Where(p => p.Required).Select(p => p.Name)),
                ["additionalProperties"] = false,
            };
        }

        private JsonObject Section(IReadOnlyList<ParamSpec> fields, bool nullable, string pointer)
        {
            var properties = new JsonObject();
            foreach (var field in fields) properties[field.Name] = Field(field, $"{pointer}/properties/{Escape(field.Name)}");
            var section = new JsonObject { ["type"] = TypeName("object", nullable), ["properties"] = properties };
            if (fields.Any(f => f.Required)) section["required"] = Strings(fields.Where(f => f.Required).Select(f => f.Name));
            section["additionalProperties"] = false;
            return section;
        }

        private static JsonObject Bounded(JsonObject schema, ParamSpec spec, bool integer)
        {
            if (spec.Min is { } min) schema[spec.MinExclusive ? "exclusiveMinimum" : "minimum"] = Number(min, integer);
            if (spec.Max is { } max) schema[spec.MaxExclusive ? "exclusiveMaximum" : "maximum"] = Number(max, integer);
            return schema;
        }

        private static JsonObject Counted(JsonObject schema, ParamSpec spec)
        {
            if (spec.MinCount is { } min) schema["minItems"] = min;
            if (spec.MaxCount is { } max) schema["maxItems"] = max;
            return schema;
        }

        private static JsonNode Number(double value, bool integer) =>
            integer && value == Math.Floor(value) && Math.Abs(value) < 9e15 ? JsonValue.Create((long)value) : JsonValue.Create(value);

        private static JsonNode TypeName(string type, bool nullable) => nullable ? new JsonArray(type, "null") : JsonValue.Create(type);

        private static JsonArray Types(bool nullable, params string[] types) =>
            new([.. types.Select(t => (JsonNode?)JsonValue.Create(t)), .. nullable ? [JsonValue.Create("null")] : Array.Empty<JsonNode?>()]);

        /// <summary>
        /// The allowed words; a word YAML reads as a boolean or number (<c>header: true</c>) is listed in that form
        /// as well, since the loader compares the text.
        /// </summary>
        private static JsonArray Choices(IEnumerable<string> choices)
        {
            var values = new JsonArray();
            foreach (var choice in choices)
            {
                values.Add(JsonValue.Create(choice));
                if (bool.TryParse(choice, out var b)) values.Add(JsonValue.Create(b));
                else if (double.TryParse(choice, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var d)) values.Add(JsonValue.Create(d));
            }
            return values;
        }

        // ---- defaults ----

        private static bool DefaultOf(ParamSpec spec, out JsonNode? value)
        {
            value = null;
            switch (spec.Type)
            {
                case ParamType.Section when spec.Default is null && spec.Nullable:
                    return true; // off unless written
                case ParamType.Section:
                    var section = new JsonObject();
                    foreach (var field in spec.Fields ?? [])
                    {
                        if (!field.Required && DefaultOf(field, out var fieldDefault)) section[field.Name] = fieldDefault;
                    }
                    value = section;
                    return true;
                case ParamType.SectionList:
                    value = new JsonArray();
                    return true;
            }
            if (spec.Default is null)
                return spec.Nullable;
            value = Json(spec.Default);
            return true;
        }

        private static JsonNode? Json(object? value) => value switch
        {
            null => null,
            bool b => JsonValue.Create(b),
            long l => JsonValue.Create(l),
            int i => JsonValue.Create(i),
            double d => JsonValue.Create(d),
            string s => JsonValue.Create(s),
            IEnumerable list => new JsonArray(list.Cast<object?>().Select(Json).ToArray()),
            _ => throw new InvalidOperationException($"no JSON form for a default of type {value.GetType().Name}"),
        };

        private static JsonArray Strings(IEnumerable<string> values) => new(values.Select(v => (JsonNode?)JsonValue.Create(v)).ToArray());

        // ---- catalog components ----

        private JsonObject Ref(CatalogKind kind, bool nameOnly)
        {
            _referenced.Add((kind, nameOnly));
            return new JsonObject { ["$ref"] = $"#/$defs/{DefName(kind, nameOnly)}" };
        }

        private static string DefName(CatalogKind kind, bool nameOnly)
        {
            var snake = string.Concat(kind.ToString().Select((c, i) => i > 0 && char.IsUpper(c) ? $"_{char.ToLowerInvariant(c)}" : char.ToLowerInvariant(c).ToString()));
            return nameOnly ? $"{snake}_name" : snake;
        }

        private JsonObject Definitions()
        {
            // Building one definition can reference others (an architecture names activations): close over them.
            var built = new Dictionary<(CatalogKind Kind, bool NameOnly), JsonObject>();
            while (_referenced.Where(r => !built.ContainsKey(r)).ToList() is { Count: > 0 } pending)
            {
                foreach (var (kind, nameOnly) in pending)
                    built[(kind, nameOnly)] = nameOnly ? NameDefinition(kind) : ComponentDefinition(kind);
            }
            var defs = new JsonObject();
            foreach (var key in built.Keys.OrderBy(k => k.Kind).ThenBy(k => k.NameOnly ? 0 : 1))
                defs[DefName(key.Kind, key.NameOnly)] = built[key];
            return defs;
        }

        private JsonObject NameDefinition(CatalogKind kind)
        {
            var entries = catalogs.EntriesOf(kind);
            return new JsonObject
            {
                ["description"] = $"{kind.Singular()} name (or alias): {string.Join(", ", entries.Select(e => e.Name))}",
                ["type"] = "string",
                ["enum"] = Strings(entries.SelectMany(e => e.Aliases.Prepend(e.Name))),
            };
        }

        private JsonObject ComponentDefinition(CatalogKind kind)
        {
            var nameKey = kind.NameKey();
            var choices = new JsonArray { Ref(kind, nameOnly: true) };
            foreach (var entry in catalogs.EntriesOf(kind))
            {
                var pointer = $"#/$defs/{DefName(kind, nameOnly: false)}/oneOf/{choices.Count}";
                var names = entry.Aliases.Prepend(entry.Name).ToList();
                var properties = new JsonObject
                {
                    [nameKey] = names.Count == 1 ? new JsonObject { ["const"] = entry.Name } : new JsonObject { ["enum"] = Strings(names) },
                };
                foreach (var param in entry.Params) properties[param.Name] = Field(param, $"{pointer}/properties/{Escape(param.Name)}");
                choices.Add(new JsonObject
                {
                    ["title"] = entry.Name,
                    ["description"] = entry.Description,
                    ["type"] = "object",
                    ["properties"] = properties,
                    ["required"] = Strings(entry.Params.Where(p => p.Required).Select(p => p.Name).Prepend(nameKey)),
                    ["additionalProperties"] = false,
                });
            }
            return new JsonObject
            {
                ["description"] = $"a {kind.Singular()}: its name, or a mapping with '{nameKey}' and that {kind.Singular()}'s parameters",
                ["oneOf"] = choices,
            };
        }

        // ---- sweep ----

        private JsonObject Sweep(IReadOnlyList<ParamSpec> fields)
        {
            // Every dotted key a sweep can vary, its values typed by a reference to the key's own schema.
            var known = new JsonObject();
            foreach (var axis in SweepablePaths(fields))
                known[axis.Path] = Axis(axis);

            return new JsonObject
            {
                ["description"] = "run many trials: every combination (grid), lists side by side (zip) or random draws, each times the seeds",
                ["type"] = new JsonArray("object", "null"),
                ["properties"] = new JsonObject
                {
                    ["method"] = new JsonObject
                    {
                        ["description"] = "grid: every combination; zip: the i-th value of every list together; random: samples draws",
                        ["type"] = "string",
                        ["enum"] = Strings(SweepMethods),
                        ["default"] = "grid",
                    },
                    ["parameters"] = new JsonObject
                    {
                        ["description"] = "dotted keys (model.activation, optimizer.lr) to the values they take: a list, or (random only) a distribution",
                        ["type"] = "object",
                        ["minProperties"] = 1,
                        ["properties"] = known,
                        ["additionalProperties"] = false,
                    },
                    ["seeds"] = new JsonObject
                    {
                        ["description"] = "seeds every cell runs with: a list, or a count N meaning 1..N",
                        ["oneOf"] = new JsonArray(
                            new JsonObject { ["type"] = "integer", ["minimum"] = 1, ["maximum"] = 10_000 },
                            new JsonObject
                            {
                                ["type"] = "array",
                                ["items"] = new JsonObject { ["type"] = "integer", ["minimum"] = 0, ["maximum"] = int.MaxValue },
                                ["minItems"] = 1,
                                ["uniqueItems"] = true,
                            }),
                    },
                    ["samples"] = new JsonObject
                    {
                        ["description"] = "how many trials method: random draws (random only)",
                        ["type"] = "integer",
                        ["minimum"] = 1,
                    },
                    ["exclude"] = new JsonObject
                    {
                        ["description"] = "partial trials to skip, each a mapping of swept keys (or seed) to values, e.g. {loss: nll, model.activation: sigmoid}",
                        ["type"] = "array",
                        ["items"] = new JsonObject { ["type"] = "object", ["minProperties"] = 1 },
                    },
                    ["sampler_seed"] = new JsonObject
                    {
                        ["description"] = "seed of the random draws (random only; default: the experiment's seed)",
                        ["type"] = "integer",
                        ["minimum"] = 0,
                    },
                },
                ["required"] = new JsonArray("parameters"),
                ["additionalProperties"] = false,
                // samples belongs to method: random (and is required there); sampler_seed and distributions too.
                ["if"] = new JsonObject
                {
                    ["properties"] = new JsonObject { ["method"] = new JsonObject { ["const"] = "random" } },
                    ["required"] = new JsonArray("method"),
                },
                ["then"] = new JsonObject { ["required"] = new JsonArray("samples") },
                ["else"] = new JsonObject
                {
                    ["not"] = new JsonObject
                    {
                        ["anyOf"] = new JsonArray(new JsonObject { ["required"] = new JsonArray("samples") }, new JsonObject { ["required"] = new JsonArray("sampler_seed") }),
                    },
                    ["properties"] = new JsonObject
                    {
                        ["parameters"] = new JsonObject
                        {
                            ["additionalProperties"] = new JsonObject
                            {
                                ["not"] = new JsonObject { ["type"] = "object", ["required"] = new JsonArray("distribution") },
                            },
                        },
                    },
                },
            };
        }

        private static JsonObject Distribution() => new()
        {
            ["description"] = "values drawn at random (method: random only): uniform, log_uniform (min > 0) or int_uniform (whole numbers) between min and max",
            ["type"] = "object",
            ["properties"] = new JsonObject
            {
                ["distribution"] = new JsonObject { ["enum"] = Strings(Distributions) },
                ["min"] = new JsonObject { ["type"] = "number" },
                ["max"] = new JsonObject { ["type"] = "number" },
            },
            ["required"] = new JsonArray("distribution", "min", "max"),
            ["additionalProperties"] = false,
        };

        /// <summary>How one swept key's values are written: a list, {values: [...]}, or (numbers) a distribution.</summary>
        private JsonObject Axis(SweepPath axis)
        {
            JsonObject Item()
            {
                // Equal specs (one learning rate shared by several optimizers) share one schema and one reference.
                var refs = axis.Specs.Select(s => _pointers[s]).Distinct().Select(p => new JsonObject { ["$ref"] = p }).ToList();
                if (axis.NameOf is { } kind) refs.Add(Ref(kind, nameOnly: true));
                return refs.Count == 1 ? refs[0] : new JsonObject { ["anyOf"] = new JsonArray(refs.Select(r => (JsonNode?)r).ToArray()) };
            }
            var forms = new JsonArray
            {
                new JsonObject { ["type"] = "array", ["minItems"] = 1, ["items"] = Item() },
                new JsonObject
                {
                    ["type"] = "object",
                    // {values: [...]} is the long form of the list just above.
                    ["properties"] = new JsonObject { ["values"] = new JsonObject { ["$ref"] = $"#/properties/sweep/properties/parameters/properties/{Escape(axis.Path)}/oneOf/0" } },
                    ["required"] = new JsonArray("values"),
                    ["additionalProperties"] = false,
                },
            };
            if (axis.Specs.Any(s => s.Type is ParamType.Int or ParamType.Float))
                forms.Add(new JsonObject { ["$ref"] = $"#/$defs/{SweepDistributionDef}" });
            return new JsonObject { ["oneOf"] = forms };
        }

        /// <summary>
        /// Dotted paths to every settable key below the top level: section fields, the parameters of every
        /// catalog entry a component can name (the union over entries) and the component's own name key.
        /// </summary>
        private List<SweepPath> SweepablePaths(IReadOnlyList<ParamSpec> fields)
        {
            var paths = new List<SweepPath>();
            SweepPath At(string path)
            {
                var found = paths.FirstOrDefault(p => p.Path == path);
                if (found is null) paths.Add(found = new SweepPath(path));
                return found;
            }
            void Walk(string prefix, IEnumerable<ParamSpec> specs, IReadOnlyList<CatalogKind> visiting)
            {
                foreach (var spec in specs)
                {
                    var path = prefix.Length == 0 ? spec.Name : $"{prefix}.{spec.Name}";
                    At(path).Specs.Add(spec);
                    if (spec.Type == ParamType.Section) Walk(path, spec.Fields ?? [], visiting);
                    else if (spec.Type == ParamType.Component && spec.Kind is { } kind && !visiting.Contains(kind))
                    {
                        // `loss.name: [mse, l1]` is the same as `loss: [mse, l1]`; setting a parameter turns a bare name into a mapping.
                        At($"{path}.{kind.NameKey()}").NameOf = kind;
                        foreach (var entry in catalogs.EntriesOf(kind)) Walk(path, entry.Params, [.. visiting, kind]);
                    }
                }
            }
            Walk("", fields.Where(f => f.Name is not ("name" or "seed")), []);
            return paths;
        }
    }

    private const string SweepDistributionDef = "sweep_distribution";

    private sealed class SweepPath(string path)
    {
        public string Path { get; } = path;
        public List<ParamSpec> Specs { get; } = [];
        /// <summary>Set when the path is a component's name key (<c>loss.name</c>): its values are that kind's names.</summary>
        public CatalogKind? NameOf { get; set; }
    }

    private static string Escape(string key) => key.Replace("~", "~0").Replace("/", "~1");
}
