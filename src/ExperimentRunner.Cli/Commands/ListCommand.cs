using System.Collections;
using System.CommandLine;
using System.Globalization;
using ExperimentRunner.Core.Catalog;
using ExperimentRunner.Core.Problems;
using Spectre.Console;

namespace ExperimentRunner.Cli.Commands;

/// <summary>
/// <c>exprun list [KIND]</c>: every catalog entry with its aliases, description and parameters, read from the
/// catalogs themselves. Plain aligned text when piped or captured; Spectre tables on a terminal.
/// </summary>
public static class ListCommand
{
    /// <summary>The words <c>exprun list</c> takes, in the order it shows the kinds.</summary>
    internal static readonly IReadOnlyList<(CatalogKind Kind, string Plural, string Singular)> Kinds =
    [
        (CatalogKind.Loss, "losses", "loss"),
        (CatalogKind.Activation, "activations", "activation"),
        (CatalogKind.OutputActivation, "output-activations", "output-activation"),
        (CatalogKind.Architecture, "architectures", "architecture"),
        (CatalogKind.Dataset, "datasets", "dataset"),
        (CatalogKind.Optimizer, "optimizers", "optimizer"),
        (CatalogKind.Scheduler, "schedulers", "scheduler"),
        (CatalogKind.Metric, "metrics", "metric"),
        // Not a top-level key, but what a sequential model's layers can be.
        (CatalogKind.Layer, "layers", "layer"),
        (CatalogKind.Logger, "loggers", "logger"),
    ];

    public static Command Create(CliContext context)
    {
        var kind = new Argument<string?>("kind")
        {
            Arity = ArgumentArity.ZeroOrOne,
            Description = $"what to list: {string.Join(", ", Kinds.Select(k => k.Plural))} (singular works too); every kind when omitted",
        };
        kind.CompletionSources.Add(Kinds.Select(k => k.Plural).ToArray());
        var command = new Command("list", "names, aliases, one-line descriptions and parameters of losses, activations, architectures, datasets, optimizers, schedulers, metrics and layers");
        command.Arguments.Add(kind);
        command.SetAction(parse => Execute(context, parse.GetValue(kind)));
        return command;
    }

    private static int Execute(CliContext context, string? kindText)
    {
        IReadOnlyList<(CatalogKind Kind, string Plural, string Singular)> kinds = Kinds;
        if (kindText is not null)
        {
            if (Parse(kindText) is not { } one)
            {
                var words = Kinds.SelectMany(k => new[] { k.Plural, k.Singular });
                context.Error.WriteLine($"error: unknown kind '{kindText}'{Suggest.DidYouMean(kindText, words)}; allowed: {string.Join(", ", Kinds.Select(k => k.Plural))}");
                return ExitCodes.UsageError;
            }
            kinds = [one];
        }
        var views = kinds.Select(k => new KindView(k.Plural, context.Catalogs.EntriesOf(k.Kind).Select(e => View(k.Kind, e)).ToList())).ToList();
        if (context.Interactive) RenderTables(context.Out, views);
        else RenderText(context.Out, views);
        return ExitCodes.Ok;
    }

    /// <summary>Plural or singular, any case, '-' or '_' between words.</summary>
    internal static (CatalogKind Kind, string Plural, string Singular)? Parse(string text)
    {
        var word = text.Trim().ToLowerInvariant().Replace('_', '-').Replace(' ', '-');
        foreach (var k in Kinds)
        {
            if (word == k.Plural || word == k.Singular) return k;
        }
        return null;
    }

    // ---- what is shown, independent of how ----

    private sealed record KindView(string Title, IReadOnlyList<EntryView> Entries);

    private sealed record EntryView(string Name, IReadOnlyList<string> Aliases, string Description, IReadOnlyList<string> Facts, IReadOnlyList<ParamView> Params);

    private sealed record ParamView(string Name, string Type, string Default, string Allowed, string Description);

    private static EntryView View(CatalogKind kind, CatalogEntry entry) =>
        new(entry.Name, entry.Aliases, entry.Description, Facts(kind, entry), entry.Params.Select(ParamViewOf).ToList());

    private static IReadOnlyList<string> Facts(CatalogKind kind, CatalogEntry entry)
    {
        switch (entry)
        {
            case LossEntry loss:
                var tasks = new List<string>();
                if (loss.Classification) tasks.Add("classification");
                if (loss.Regression) tasks.Add("regression");
                var target = loss.ClassTarget == TargetForm.OneHot ? "one-hot vectors" : "class indices";
                return
                [
                    $"expects {loss.Expects.Words()} (output_activation auto picks {loss.AutoOutput})",
                    $"class targets as {target}; tasks: {string.Join(", ", tasks)}",
                ];
            case ActivationEntry activation:
                var facts = new List<string> { $"output range: {Bounds(activation.Lower, activation.Upper)}" };
                if (kind == CatalogKind.OutputActivation && activation.Name != ActivationCatalog.Auto)
                    facts.Add($"as the last layer it gives {activation.Produces.Words()}{(activation.OutputOnly ? "; output layer only" : "")}");
                return activation.Name == ActivationCatalog.Auto ? [] : facts;
            case DatasetEntry dataset:
                var task = dataset.Task is { } t ? Word(t) : "read from the data";
                return [dataset.FixedClasses is { } classes ? $"task: {task}; {classes} classes" : $"task: {task}"];
            case MetricEntry metric:
                return [$"task: {Word(metric.Task)}; {(metric.HigherIsBetter ? "higher" : "lower")} is better"];
            default:
                return [];
        }
    }

    private static string Word(TaskKind task) => task.ToString().ToLowerInvariant();

    private static string Bounds(double? lower, double? upper) =>
        lower is null && upper is null
            ? "unbounded"
            : $"{(lower is null ? "(-inf" : $"[{Bound(lower.Value)}")}, {(upper is null ? "+inf)" : $"{Bound(upper.Value)}]")}";

    private static string Bound(double d) => d.ToString("0.######", CultureInfo.InvariantCulture);

    private static ParamView ParamViewOf(ParamSpec p) => new(p.Name, TypeOf(p), DefaultOf(p), AllowedOf(p), p.Description);

    private static string TypeOf(ParamSpec p) => p.Type switch
    {
        ParamType.Int => "integer",
        ParamType.Float => "number",
        ParamType.Bool => "bool",
        ParamType.String => "text",
        ParamType.Choice => "choice",
        ParamType.IntList => "integers",
        ParamType.FloatList => "numbers",
        ParamType.Component => p.Kind?.Singular() ?? "name",
        ParamType.ComponentList => $"{p.Kind?.Singular() ?? "name"} list",
        ParamType.Section => "mapping",
        ParamType.SectionList => "mappings",
        ParamType.TextList => "names",
        ParamType.ComponentSequence => $"{p.Kind?.Singular() ?? "name"} list",
        _ => p.Type.ToString().ToLowerInvariant(),
    };

    private static string DefaultOf(ParamSpec p) => p.Required ? "required" : Value(p.Default);

    private static string Value(object? value) => value switch
    {
        null => "unset",
        bool b => b ? "true" : "false",
        double d => Number(d),
        long or int => Convert.ToString(value, CultureInfo.InvariantCulture)!,
        string s => s,
        IEnumerable list => $"[{string.Join(", ", list.Cast<object?>().Select(Value))}]",
        _ => value.ToString() ?? "",
    };

    private static string AllowedOf(ParamSpec p)
    {
        var parts = new List<string>();
        switch (p.Type)
        {
            case ParamType.Choice or ParamType.ComponentList when p.Choices is { } choices:
                parts.Add(string.Join(" | ", choices));
                break;
            case ParamType.Component or ParamType.ComponentList or ParamType.ComponentSequence when p.Kind is { } kind:
                parts.Add($"see 'exprun list {Kinds.FirstOrDefault(k => k.Kind == kind).Plural ?? kind.Singular()}'");
                break;
            case ParamType.String when p.Pattern is not null:
                parts.Add($"matches {p.Pattern}");
                break;
        }
        if (p.RangeText() is { Length: > 0 } range)
            parts.Add(p.Type is ParamType.IntList or ParamType.FloatList ? $"each {range}" : range);
        if (p.MinCount is not null || p.MaxCount is not null)
        {
            parts.Add(p.MinCount == p.MaxCount ? $"{p.MinCount} items"
                : p.MaxCount is null ? $"{p.MinCount}+ items"
                : $"{p.MinCount ?? 0} to {p.MaxCount} items");
        }
        return string.Join("; ", parts);
    }

    /// <summary>Invariant and short: 0.001, 1.0, 1e-08.</summary>
    private static string Number(double d)
    {
        var abs = Math.Abs(d);
        if (abs != 0 && (abs < 1e-4 || abs >= 1e7)) return d.ToString("0.######e+00", CultureInfo.InvariantCulture);
        var text = d.ToString("0.##########", CultureInfo.InvariantCulture);
        return text.Contains('.') ? text : text + ".0";
    }

    // ---- plain text ----

    private static readonly string[] Header = ["name", "type", "default", "allowed", "description"];

    private static void RenderText(TextWriter output, IReadOnlyList<KindView> kinds)
    {
        var first = true;
        foreach (var kind in kinds)
        {
            if (!first) output.WriteLine();
            first = false;
            var title = $"{kind.Title} ({kind.Entries.Count})";
            output.WriteLine(title);
            output.WriteLine(new string('=', title.Length));
            foreach (var entry in kind.Entries)
            {
                output.WriteLine();
                output.WriteLine(entry.Aliases.Count == 0 ? entry.Name : $"{entry.Name}  (aliases: {string.Join(", ", entry.Aliases)})");
                output.WriteLine($"    {entry.Description}");
                foreach (var fact in entry.Facts) output.WriteLine($"    {fact}");
                if (entry.Params.Count == 0) continue;
                output.WriteLine("    parameters:");
                var rows = entry.Params.Select(p => new[] { p.Name, p.Type, p.Default, p.Allowed, p.Description }).Prepend(Header).ToList();
                var widths = Enumerable.Range(0, 4).Select(c => rows.Max(r => r[c].Length)).ToArray();
                foreach (var row in rows)
                {
                    var cells = row.Take(4).Select((cell, c) => cell.PadRight(widths[c])).Append(row[4]);
                    output.WriteLine($"      {string.Join("  ", cells).TrimEnd()}");
                }
            }
        }
    }

    // ---- terminal ----

    private static void RenderTables(TextWriter output, IReadOnlyList<KindView> kinds)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(output) });
        foreach (var kind in kinds)
        {
            console.Write(new Rule($"[bold]{Markup.Escape(kind.Title)}[/] ({kind.Entries.Count})") { Justification = Justify.Left });
            foreach (var entry in kind.Entries)
            {
                var aliases = entry.Aliases.Count == 0 ? "" : $" [grey](aliases: {Markup.Escape(string.Join(", ", entry.Aliases))})[/]";
                console.MarkupLine($"[bold aqua]{Markup.Escape(entry.Name)}[/]{aliases}");
                console.MarkupLine($"  {Markup.Escape(entry.Description)}");
                foreach (var fact in entry.Facts) console.MarkupLine($"  [grey]{Markup.Escape(fact)}[/]");
                if (entry.Params.Count > 0)
                {
                    var table = new Table { Border = TableBorder.Rounded };
                    table.AddColumns(Header);
                    foreach (var p in entry.Params)
                        table.AddRow(Markup.Escape(p.Name), Markup.Escape(p.Type), Markup.Escape(p.Default), Markup.Escape(p.Allowed), Markup.Escape(p.Description));
                    console.Write(new Padder(table).PadLeft(2).PadRight(0).PadTop(0).PadBottom(0));
                }
                console.WriteLine();
            }
        }
    }
}
