using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.Data.Analysis;

namespace MoralGap.Notebooks;

/// <summary>
/// Readable renderings of Microsoft.Data.Analysis <see cref="DataFrame"/>s: the first rows, numbers rounded,
/// the row count stated, as an HTML table and as aligned plain text.
/// </summary>
public static class Tables
{
    /// <summary>Rows shown by default before "… n more rows".</summary>
    public const int DefaultMaxRows = 20;

    /// <summary>Builds a DataFrame from records: one column per public property (numbers, booleans, strings).</summary>
    public static DataFrame FromRecords<T>(IEnumerable<T> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var list = rows.ToList();
        var props = typeof(T).GetProperties().Where(p => p.CanRead && p.GetIndexParameters().Length == 0).ToArray();
        var columns = new List<DataFrameColumn>();
        foreach (var p in props)
        {
            var t = Nullable.GetUnderlyingType(p.PropertyType) ?? p.PropertyType;
            var values = list.Select(r => p.GetValue(r)).ToList();
            DataFrameColumn col = t == typeof(double) || t == typeof(float) || t == typeof(decimal)
                ? new DoubleDataFrameColumn(p.Name, values.Select(v => v is null ? (double?)null : Convert.ToDouble(v, CultureInfo.InvariantCulture)))
                : t == typeof(int) || t == typeof(long) || t == typeof(short)
                    ? new Int64DataFrameColumn(p.Name, values.Select(v => v is null ? (long?)null : Convert.ToInt64(v, CultureInfo.InvariantCulture)))
                    : t == typeof(bool)
                        ? new BooleanDataFrameColumn(p.Name, values.Select(v => (bool?)v))
                        : new StringDataFrameColumn(p.Name, values.Select(v => v?.ToString()));
            columns.Add(col);
        }
        return new DataFrame(columns);
    }

    /// <summary>HTML table of the first <paramref name="maxRows"/> rows; numbers with <paramref name="digits"/> decimals.</summary>
    public static string ToHtml(DataFrame frame, int maxRows = DefaultMaxRows, int digits = 3)
    {
        ArgumentNullException.ThrowIfNull(frame);
        var sb = new StringBuilder("<table><thead><tr>");
        foreach (var c in frame.Columns) sb.Append("<th>").Append(WebUtility.HtmlEncode(c.Name)).Append("</th>");
        sb.Append("</tr></thead><tbody>");
        var shown = (int)Math.Min(frame.Rows.Count, maxRows);
        for (var r = 0; r < shown; r++)
        {
            sb.Append("<tr>");
            foreach (var c in frame.Columns)
                sb.Append("<td>").Append(WebUtility.HtmlEncode(Cell(c[r], digits))).Append("</td>");
            sb.Append("</tr>");
        }
        sb.Append("</tbody></table>");
        sb.Append($"<p><em>{frame.Rows.Count} rows × {frame.Columns.Count} columns");
        if (frame.Rows.Count > shown) sb.Append($"; first {shown} shown");
        sb.Append("</em></p>");
        return sb.ToString();
    }

    /// <summary>Aligned plain-text table of the first <paramref name="maxRows"/> rows.</summary>
    public static string ToText(DataFrame frame, int maxRows = DefaultMaxRows, int digits = 3)
    {
        ArgumentNullException.ThrowIfNull(frame);
        var shown = (int)Math.Min(frame.Rows.Count, maxRows);
        var cells = new List<string[]> { frame.Columns.Select(c => c.Name).ToArray() };
        for (var r = 0; r < shown; r++)
            cells.Add(frame.Columns.Select(c => Truncate(Cell(c[r], digits), 60)).ToArray());
        var widths = Enumerable.Range(0, frame.Columns.Count).Select(i => cells.Max(row => row[i].Length)).ToArray();
        var sb = new StringBuilder();
        foreach (var row in cells)
            sb.AppendLine(string.Join("  ", row.Select((v, i) => v.PadRight(widths[i]))).TrimEnd());
        sb.Append($"({frame.Rows.Count} rows × {frame.Columns.Count} columns");
        if (frame.Rows.Count > shown) sb.Append($"; first {shown} shown");
        sb.Append(')');
        return sb.ToString();
    }

    private static string Truncate(string s, int max) => s.Length <= max ? s : s[..(max - 1)] + "…";

    private static string Cell(object? value, int digits) => value switch
    {
        null => "",
        double d => double.IsNaN(d) ? "NaN" : d.ToString("F" + digits, CultureInfo.InvariantCulture),
        float f => f.ToString("F" + digits, CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };
}
