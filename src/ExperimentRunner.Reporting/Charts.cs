using System.Globalization;
using ExperimentRunner.Core.Analysis;
using ScottPlot;

namespace ExperimentRunner.Reporting;

/// <summary>
/// The report's plots, drawn with ScottPlot. Titles live in the HTML around each plot (selectable text that
/// wraps), so the plots carry only axes, data and, where it helps, a legend.
/// </summary>
public static class Charts
{
    public static readonly Color Train = Color.FromHex("#1f77b4");
    public static readonly Color Val = Color.FromHex("#d9480f");
    private static readonly Color Missing = Color.FromHex("#d0d0d0");
    private static readonly string[] PreferredFonts = ["DejaVu Sans", "Liberation Sans", "Arial", "Helvetica", "Noto Sans"];
    private static readonly Lazy<string?> FontName = new(() => PreferredFonts.FirstOrDefault(f => SkiaSharp.SKFontManager.Default.FontFamilies.Contains(f)));

    private static Plot NewPlot()
    {
        var plot = new Plot();
        if (FontName.Value is { } font) plot.Font.Set(font);
        foreach (var axis in new IAxis[] { plot.Axes.Bottom, plot.Axes.Left })
        {
            axis.TickLabelStyle.FontSize = 13;
            axis.Label.FontSize = 14;
            axis.Label.Bold = false;
        }
        plot.Axes.Right.IsVisible = true;
        plot.Axes.Top.IsVisible = true;
        return plot;
    }

    /// <summary>Train and validation loss of a cell: mean over seeds with the min-max band.</summary>
    public static Plot LossCurves(CellReport cell, (double Low, double High)? yLimits, int lastEpoch)
    {
        var plot = NewPlot();
        AddBand(plot, cell.Train, Train);
        AddBand(plot, cell.Val, Val);
        plot.XLabel("epoch");
        plot.YLabel("loss");
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { IntegerTicksOnly = true };
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { LabelFormatter = Tick };
        plot.Axes.SetLimitsX(lastEpoch <= 1 ? 0.5 : 1, lastEpoch <= 1 ? 1.5 : lastEpoch);
        if (yLimits is { } y) plot.Axes.SetLimitsY(y.Low, y.High);
        return plot;
    }

    private static void AddBand(Plot plot, Band band, Color color)
    {
        var points = band.Epochs.Select((e, i) => (X: e, band.Mean[i], band.Min[i], band.Max[i])).Where(p => double.IsFinite(p.Item2)).ToList();
        if (points.Count == 0) return;
        if (points.Any(p => p.Item4 > p.Item3))
        {
            var fill = plot.Add.FillY(points.Select(p => p.X).ToArray(), points.Select(p => p.Item3).ToArray(), points.Select(p => p.Item4).ToArray());
            fill.FillColor = color.WithAlpha(0.22);
            fill.LineWidth = 0;
            fill.MarkerSize = 0;
        }
        var line = plot.Add.ScatterLine(points.Select(p => p.X).ToArray(), points.Select(p => p.Item2).ToArray(), color);
        line.LineWidth = 2;
        if (points.Count == 1) line.MarkerSize = 6;
    }

    /// <summary>Pixels per heatmap column and per bar the page sizes its plots by.</summary>
    public const int ColumnPixels = 105, RowPixels = 58, BarPixels = 90;

    private static double Luminance(Color c) => (0.299 * c.R + 0.587 * c.G + 0.114 * c.B) / 255;

    /// <summary>The metric over the first two swept keys: a coloured grid with each value written in its cell.</summary>
    public static Plot Heatmap(Grid grid, bool higherIsBetter)
    {
        var plot = NewPlot();
        plot.Axes.Right.IsVisible = false;
        plot.Axes.Top.IsVisible = false;
        var values = grid.Values.Cast<CellStats?>().OfType<CellStats>().Select(c => c.Mean).Where(double.IsFinite).ToList();
        var low = values.Count > 0 ? values.Min() : 0;
        var high = values.Count > 0 ? values.Max() : 1;
        var colormap = new ScottPlot.Colormaps.Viridis();
        double Fraction(double v) => high > low ? (v - low) / (high - low) : 0.5;
        var rows = grid.Rows.Count;
        for (var r = 0; r < rows; r++)
        {
            for (var c = 0; c < grid.Columns.Count; c++)
            {
                // Row 0 on top, as in the table it mirrors.
                double x = c, y = rows - 1 - r;
                var cell = grid.Values[r, c];
                var hasValue = cell is { N: > 0 } && double.IsFinite(cell.Mean);
                var colour = hasValue ? colormap.GetColor(higherIsBetter ? Fraction(cell!.Mean) : 1 - Fraction(cell!.Mean)) : Missing;
                var rect = plot.Add.Rectangle(x - 0.5, x + 0.5, y - 0.5, y + 0.5);
                rect.FillColor = colour;
                rect.LineColor = Colors.White;
                rect.LineWidth = 2;
                var label = plot.Add.Text(hasValue ? Format(cell!.Mean) : cell is null ? "not run" : "no value", x, y);
                label.LabelAlignment = Alignment.MiddleCenter;
                label.LabelFontSize = grid.Columns.Count > 8 ? 11 : 14;
                label.LabelFontColor = hasValue && Luminance(colour) < 0.45 ? Colors.White : Colors.Black;
                label.LabelBold = true;
            }
        }
        Categorical(plot, grid.Columns, ColumnPixels);
        plot.Axes.Left.SetTicks([.. Enumerable.Range(0, rows).Select(i => (double)(rows - 1 - i))], [.. grid.Rows]);
        plot.XLabel(grid.ColumnKey);
        plot.YLabel(grid.RowKey);
        plot.Axes.SetLimits(-0.5, grid.Columns.Count - 0.5, -0.5, rows - 0.5);
        plot.Grid.IsVisible = false;
        return plot;
    }

    /// <summary>The metric per value of the only swept key: bars with the 95% interval over seeds.</summary>
    public static Plot BarChart(Bars bars, string metric)
    {
        var plot = NewPlot();
        plot.Axes.Right.IsVisible = false;
        plot.Axes.Top.IsVisible = false;
        // A value with no trial behind it (all failed) gets no bar: a bar of height 0 would read as a result, and as
        // the best one when lower is better. Its name stays on the axis, with a note where the bar would be.
        var items = bars.Values.Select((c, i) => (Cell: c, Position: i)).Where(b => b.Cell.N > 0 && double.IsFinite(b.Cell.Mean)).Select(b => new Bar
        {
            Position = b.Position,
            Value = b.Cell.Mean,
            Error = double.IsFinite(b.Cell.HalfWidth) ? b.Cell.HalfWidth : 0,
            FillColor = Train,
        }).ToArray();
        if (items.Length > 0) plot.Add.Bars(items);
        for (var i = 0; i < bars.Values.Count; i++)
        {
            if (items.Any(b => b.Position == i)) continue;
            var note = plot.Add.Text("no value", i, 0);
            note.LabelAlignment = Alignment.LowerCenter;
            note.LabelFontColor = Colors.Gray;
        }
        Categorical(plot, bars.Values.Select(c => c.Key[0]).ToList(), BarPixels);
        plot.XLabel(bars.Key);
        plot.YLabel(metric);
        plot.Axes.Margins(bottom: 0);
        return plot;
    }

    /// <summary>Gradient norm of each layer's weights (log scale), one line per measured epoch.</summary>
    public static Plot GradientNorms(LayerView view)
    {
        var plot = LayerPlot(view);
        var all = new List<double>();
        for (var i = 0; i < view.Epochs.Count; i++)
        {
            var epoch = view.Epochs[i];
            var points = epoch.GradNorm.Select((g, l) => (X: (double)l, Y: g)).Where(p => double.IsFinite(p.Y) && p.Y > 0).Select(p => (p.X, Y: Math.Log10(p.Y))).ToList();
            all.AddRange(points.Select(p => p.Y));
            AddEpochLine(plot, points, view, i, MarkerShape.FilledCircle);
        }
        var tick = new ScottPlot.TickGenerators.NumericAutomatic
        {
            IntegerTicksOnly = true,
            LabelFormatter = y => $"1e{y.ToString("0", CultureInfo.InvariantCulture)}",
            MinorTickGenerator = new ScottPlot.TickGenerators.LogMinorTickGenerator(),
        };
        plot.Axes.Left.TickGenerator = tick;
        if (all.Count == 0)
        {
            var note = plot.Add.Annotation("no finite gradient norm to show", Alignment.MiddleCenter);
            note.LabelBackgroundColor = Colors.White;
            note.LabelBorderColor = Colors.Gray;
            note.LabelShadowColor = Colors.Transparent;
            plot.Axes.SetLimitsY(-3, 0);
        }
        else
        {
            var low = Math.Floor(all.Min());
            var high = Math.Ceiling(all.Max());
            if (high - low < 1) high = low + 1;
            plot.Axes.SetLimitsY(low - 0.05, high + 0.05);
        }
        plot.YLabel("gradient norm");
        return plot;
    }

    /// <summary>Dead fraction (filled circles) and, for bounded activations, saturated fraction (open triangles) per layer.</summary>
    public static Plot DeadFractions(LayerView view)
    {
        var plot = LayerPlot(view);
        for (var i = 0; i < view.Epochs.Count; i++)
        {
            var epoch = view.Epochs[i];
            AddEpochLine(plot, epoch.DeadFraction.Select((d, l) => (X: (double)l, Y: d)).Where(p => double.IsFinite(p.Y)).ToList(), view, i, MarkerShape.FilledCircle);
            var saturated = epoch.SaturatedFraction.Select((s, l) => (X: (double)l, Y: s ?? double.NaN)).Where(p => double.IsFinite(p.Y)).ToList();
            AddEpochLine(plot, saturated, view, i, MarkerShape.OpenTriangleUp);
        }
        plot.Axes.SetLimitsY(-0.03, 1.03);
        plot.YLabel("fraction of units");
        return plot;
    }

    private static Plot LayerPlot(LayerView view)
    {
        var plot = NewPlot();
        Categorical(plot, view.Layers, 400f / Math.Max(1, view.Layers.Count));
        plot.Axes.SetLimitsX(-0.3, Math.Max(1, view.Layers.Count) - 0.7);
        plot.XLabel("layer");
        return plot;
    }

    // Skia's SVG canvas cannot draw dash patterns, so series are told apart by marker shape and weight instead.
    private static void AddEpochLine(Plot plot, List<(double X, double Y)> points, LayerView view, int index, MarkerShape marker)
    {
        if (points.Count == 0) return;
        var line = plot.Add.Scatter(points.Select(p => p.X).ToArray(), points.Select(p => p.Y).ToArray(), EpochColor(index, view.Epochs.Count));
        var filled = marker == MarkerShape.FilledCircle;
        line.LineWidth = filled ? 2 : 1.25f;
        line.MarkerShape = marker;
        line.MarkerSize = filled ? 7 : 9;
        line.MarkerLineWidth = 1.5f;
    }

    /// <summary>Early epochs light, late epochs dark (viridis, without its pale yellow end).</summary>
    public static Color EpochColor(int index, int count) =>
        new ScottPlot.Colormaps.Viridis().GetColor(count <= 1 ? 0.0 : 0.8 - 0.8 * index / (count - 1));

    /// <summary>
    /// Category names as ticks at 0, 1, ...; names wider than their slot (<paramref name="slotPixels"/>) are turned
    /// 45 degrees, reading down and right from their tick, with room made below the axis.
    /// </summary>
    private static void Categorical(Plot plot, IReadOnlyList<string> names, float slotPixels)
    {
        var axis = (ScottPlot.AxisPanels.AxisBase)plot.Axes.Bottom;
        axis.SetTicks([.. Enumerable.Range(0, names.Count).Select(i => (double)i)], [.. names]);
        using var paint = Paint.NewDisposablePaint();
        var widest = names.Count == 0 ? 0 : names.Max(n => axis.TickLabelStyle.Measure(n, paint).Width);
        if (widest > slotPixels * 0.9f)
        {
            // Turned labels hang down and right from their tick: room below the plot and, for the last one, to its right.
            axis.TickLabelStyle.Rotation = 45;
            axis.TickLabelStyle.Alignment = Alignment.UpperLeft;
            axis.TickLabelStyle.OffsetX = 2;
            axis.MinimumSize = widest * 0.72f + 36;
            plot.Axes.Right.MinimumSize = Math.Max(plot.Axes.Right.MinimumSize, widest * 0.72f - slotPixels / 2 + 8);
        }
    }

    /// <summary>A short tick label: at most four significant digits, powers of ten for very large or small values.</summary>
    public static string Tick(double value) =>
        value == 0 ? "0"
        : Math.Abs(value) >= 1e4 || Math.Abs(value) < 1e-3 ? value.ToString("0.##e0", CultureInfo.InvariantCulture)
        : value.ToString("G4", CultureInfo.InvariantCulture);

    public static string Format(double value) =>
        !double.IsFinite(value) ? "" : Math.Abs(value) >= 1000 || (value != 0 && Math.Abs(value) < 0.001)
            ? value.ToString("0.###e0", CultureInfo.InvariantCulture)
            : value.ToString("0.000", CultureInfo.InvariantCulture);
}
