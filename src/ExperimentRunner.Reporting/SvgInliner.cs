using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using ScottPlot;
using SkiaSharp;

namespace ExperimentRunner.Reporting;

/// <summary>
/// Turns a ScottPlot plot into an SVG element to inline in an HTML page:
/// <list type="bullet">
/// <item>text is drawn as glyph outlines (one <c>&lt;path&gt;</c> per distinct glyph in <c>&lt;defs&gt;</c>, placed
/// with <c>&lt;use&gt;</c>), so the page looks the same whether or not the reader has the font Skia measured
/// the labels with; a glyph the font lacks keeps that label as <c>&lt;text&gt;</c> with a generic fallback;</item>
/// <item>every id is prefixed per plot, since inline SVGs share the page's id space (ScottPlot numbers its clip
/// paths from 1 in every plot);</item>
/// <item>a viewBox, so the plot scales with the page, and an accessible label.</item>
/// </list>
/// </summary>
public sealed partial class SvgInliner
{
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";
    private static readonly XNamespace XLink = "http://www.w3.org/1999/xlink";
    private static readonly string[] FontAttributes = ["font-family", "font-size", "font-weight", "font-style", "x", "y"];

    private readonly Dictionary<(string Family, int Weight, bool Italic), SKTypeface> _typefaces = [];
    private int _plots;

    /// <summary>How many plots this inliner has rendered (each got its own id prefix).</summary>
    public int Count => _plots;

    public string Render(Plot plot, int width, int height, string label)
    {
        var prefix = $"p{++_plots}-";
        var doc = XDocument.Parse(plot.GetSvgXml(width, height));
        var root = doc.Root ?? throw new InvalidOperationException("ScottPlot returned an empty SVG document");
        PrefixIds(root, prefix);
        TextToGlyphs(root, prefix);
        root.SetAttributeValue("viewBox", $"0 0 {width} {height}");
        root.SetAttributeValue("role", "img");
        root.SetAttributeValue("aria-label", label);
        root.SetAttributeValue("class", "chart");
        if (!root.Descendants().Attributes().Any(a => a.Name.Namespace == XLink))
            root.Attributes().Where(a => a.IsNamespaceDeclaration && a.Value == XLink.NamespaceName).Remove();
        return root.ToString(SaveOptions.DisableFormatting);
    }

    private static void PrefixIds(XElement root, string prefix)
    {
        var ids = root.DescendantsAndSelf().Select(e => e.Attribute("id")).OfType<XAttribute>().ToList();
        if (ids.Count == 0) return;
        var map = ids.ToDictionary(a => a.Value, a => prefix + a.Value);
        foreach (var id in ids) id.Value = map[id.Value];
        foreach (var attribute in root.DescendantsAndSelf().Attributes().Where(a => a.Name.LocalName != "id").ToList())
        {
            var value = attribute.Value;
            if (value.StartsWith('#') && map.TryGetValue(value[1..], out var target)) attribute.Value = "#" + target;
            else if (value.Contains("url(#", StringComparison.Ordinal))
                attribute.Value = UrlReference().Replace(value, m => map.TryGetValue(m.Groups[1].Value, out var t) ? $"url(#{t})" : m.Value);
        }
    }

    private void TextToGlyphs(XElement root, string prefix)
    {
        var glyphs = new Dictionary<(SKTypeface, float, ushort), string>();
        var defs = new XElement(Svg + "defs");
        foreach (var text in root.Descendants(Svg + "text").ToList())
        {
            var replacement = Glyphs(text, prefix, glyphs, defs);
            if (replacement is not null) text.ReplaceWith(replacement);
            else text.SetAttributeValue("font-family", $"{text.Attribute("font-family")?.Value ?? "sans-serif"}, DejaVu Sans, Arial, sans-serif");
        }
        if (defs.HasElements) root.AddFirst(defs);
    }

    /// <summary>
    /// Skia writes a label as <c>&lt;text x="x0, x1, ..." y="y0"&gt;chars&lt;/text&gt;</c>: one x per character it kept
    /// (runs of spaces collapsed) on one baseline. Returns the label as placed glyph outlines, or null to keep the text.
    /// </summary>
    private XElement? Glyphs(XElement text, string prefix, Dictionary<(SKTypeface, float, ushort), string> glyphs, XElement defs)
    {
        var xs = Numbers(text.Attribute("x")?.Value);
        var ys = Numbers(text.Attribute("y")?.Value);
        var size = Numbers(text.Attribute("font-size")?.Value).FirstOrDefault(12f);
        var content = text.Value.Trim('\n', '\r', '\t');
        var runes = content.EnumerateRunes().ToList();
        if (runes.Count == 0) return new XElement(Svg + "g");
        if (ys.Count == 0 || xs.Count != runes.Count) return null;

        var typeface = Typeface(text.Attribute("font-family")?.Value ?? "", text.Attribute("font-weight")?.Value, text.Attribute("font-style")?.Value);
        using var font = new SKFont(typeface, size);
        var group = new XElement(Svg + "g", text.Attributes().Where(a => !FontAttributes.Contains(a.Name.LocalName)));
        for (var i = 0; i < runes.Count; i++)
        {
            if (Rune.IsWhiteSpace(runes[i])) continue;
            var glyph = font.GetGlyph(runes[i].Value);
            if (glyph == 0) return null;
            var key = (typeface, size, glyph);
            if (!glyphs.TryGetValue(key, out var id))
            {
                using var path = font.GetGlyphPath(glyph);
                var d = path is null ? "" : PathData(path);
                if (d.Length == 0) continue;
                id = $"{prefix}g{glyphs.Count}";
                glyphs[key] = id;
                defs.Add(new XElement(Svg + "path", new XAttribute("id", id), new XAttribute("d", d)));
            }
            group.Add(new XElement(Svg + "use", new XAttribute("href", "#" + id), new XAttribute("x", Short(xs[i])), new XAttribute("y", Short(ys[0]))));
        }
        return group;
    }

    private SKTypeface Typeface(string family, string? weight, string? style)
    {
        var w = int.TryParse(weight, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : weight == "bold" ? 700 : 400;
        var italic = style is "italic" or "oblique";
        var key = (family, w, italic);
        if (!_typefaces.TryGetValue(key, out var typeface))
        {
            var fontStyle = new SKFontStyle(w, (int)SKFontStyleWidth.Normal, italic ? SKFontStyleSlant.Italic : SKFontStyleSlant.Upright);
            typeface = SKFontManager.Default.MatchFamily(family, fontStyle) ?? SKTypeface.FromFamilyName(family, fontStyle) ?? SKTypeface.Default;
            _typefaces[key] = typeface;
        }
        return typeface;
    }

    private static List<float> Numbers(string? list) =>
        (list ?? "").Split([',', ' '], StringSplitOptions.RemoveEmptyEntries)
            .Select(s => float.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : float.NaN)
            .Where(float.IsFinite).ToList();

    /// <summary>SVG path data of a glyph outline, coordinates to 0.01 px.</summary>
    private static string PathData(SKPath path)
    {
        var d = new StringBuilder();
        using var iterator = path.CreateRawIterator();
        var points = new SKPoint[4];
        SKPathVerb verb;
        void Add(char command, params SKPoint[] ps)
        {
            d.Append(command);
            for (var i = 0; i < ps.Length; i++) d.Append(i == 0 ? "" : " ").Append(Short(ps[i].X)).Append(' ').Append(Short(ps[i].Y));
        }
        while ((verb = iterator.Next(points)) != SKPathVerb.Done)
        {
            switch (verb)
            {
                case SKPathVerb.Move: Add('M', points[0]); break;
                case SKPathVerb.Line: Add('L', points[1]); break;
                case SKPathVerb.Quad: Add('Q', points[1], points[2]); break;
                case SKPathVerb.Cubic: Add('C', points[1], points[2], points[3]); break;
                case SKPathVerb.Conic:
                    var quads = SKPath.ConvertConicToQuads(points[0], points[1], points[2], iterator.ConicWeight(), 2);
                    for (var i = 1; i + 1 < quads.Length; i += 2) Add('Q', quads[i], quads[i + 1]);
                    break;
                case SKPathVerb.Close: d.Append('Z'); break;
            }
        }
        return d.ToString();
    }

    private static string Short(float v)
    {
        var s = Math.Round(v, 2).ToString("0.##", CultureInfo.InvariantCulture);
        return s == "-0" ? "0" : s;
    }

    [GeneratedRegex(@"url\(#([^)]+)\)")]
    private static partial Regex UrlReference();
}
