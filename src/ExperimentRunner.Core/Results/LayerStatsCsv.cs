namespace ExperimentRunner.Core.Results;

/// <summary>One row of a trial's layer_stats.csv.</summary>
public sealed record LayerRow(int Epoch, string Layer, string Activation, double Mean, double Std, double DeadFraction, double? SaturatedFraction, double GradNorm, double WeightNorm);

/// <summary>layer_stats.csv: <c>epoch,layer,activation,mean,std,dead_fraction,saturated_fraction,grad_norm,weight_norm</c>.</summary>
public static class LayerStatsCsv
{
    public const string FileName = "layer_stats.csv";

    public static readonly IReadOnlyList<string> Header = ["epoch", "layer", "activation", "mean", "std", "dead_fraction", "saturated_fraction", "grad_norm", "weight_norm"];

    /// <summary>
    /// Reads the rows back, checking them: the header, epochs from 1 that never go back, a layer and activation name and
    /// numbers (or empty) in every row, and the same layers at every measured epoch. A missing file has no rows; a damaged
    /// one throws <see cref="DamagedFileException"/> naming the row.
    /// </summary>
    public static IReadOnlyList<LayerRow> Read(string path)
    {
        if (!File.Exists(path)) return [];
        var table = CheckedTable.Read(path, Header);
        var rows = new List<LayerRow>();
        foreach (var row in table.Rows)
        {
            var epoch = table.Epoch(row);
            if (rows.Count > 0 && epoch < rows[^1].Epoch) throw table.Damaged(row, $"epoch {epoch} after epoch {rows[^1].Epoch} (epochs never go back)");
            double Num(string column) => table.Number(row, column) ?? double.NaN;
            rows.Add(new LayerRow(epoch, table.Text(row, "layer"), table.Text(row, "activation"), Num("mean"), Num("std"), Num("dead_fraction"),
                table.Number(row, "saturated_fraction"), Num("grad_norm"), Num("weight_norm")));
        }
        var layers = rows.TakeWhile(r => r.Epoch == rows[0].Epoch).Select(r => r.Layer).ToList();
        foreach (var epoch in rows.GroupBy(r => r.Epoch))
        {
            var these = epoch.Select(r => r.Layer).ToList();
            if (!these.SequenceEqual(layers))
                throw new DamagedFileException(path, $"epoch {epoch.Key} has layers {string.Join(", ", these.Select(CheckedTable.Shorten))}; every measured epoch has {string.Join(", ", layers)}");
        }
        return rows;
    }

    /// <summary>The measured epochs, in order.</summary>
    public static IReadOnlyList<int> Epochs(IEnumerable<LayerRow> rows) => rows.Select(r => r.Epoch).Distinct().ToList();
}
