using System.Globalization;
using System.Text.RegularExpressions;
using MoralGap.Data;

namespace MoralGap.Profiles;

/// <summary>
/// Small tolerant parsers for the answers of the DMP conditions. The project's main verdict parser lives in
/// MoralGap.Judging; the evaluation runner takes any parser as a <c>Func&lt;string, Verdict?&gt;</c> and uses
/// <see cref="ParseVerdict"/> when none is given.
/// </summary>
public static partial class ResponseParsing
{
    /// <summary>
    /// Verdict from a two-line answer, read by the project's one judgment parser
    /// (<see cref="MoralGap.Judging.AnswerParser"/>: markdown, case, extra text and "NOT ACCEPTABLE" tolerated);
    /// null for refusals and answers with no single verdict.
    /// </summary>
    public static Verdict? ParseVerdict(string? response) =>
        string.IsNullOrWhiteSpace(response) ? null : MoralGap.Judging.AnswerParser.Parse(response).Verdict; // one parser project-wide

    /// <summary>The text after <c>Rationale:</c> (to the end), or the whole response without the evaluation line.</summary>
    public static string ParseRationale(string? response)
    {
        if (string.IsNullOrWhiteSpace(response)) return "";
        var m = RationaleLine().Match(response);
        if (m.Success) return m.Groups[1].Value.Trim();
        return EvaluationLine().Replace(response, "").Trim();
    }

    /// <summary>
    /// A share in [0, 1] from a direct-elicitation answer. Prefers the <c>Share:</c> line when present, else the whole
    /// text. Understands, in this order: a percentage (<c>35%</c>, <c>35 %</c>, <c>35 percent</c>, <c>35 per cent</c>),
    /// a fraction <c>x/y</c> or <c>x out of y</c>, a decimal in [0, 1] (<c>0.35</c>), and a bare number in (1, 100]
    /// when it is the whole answer or the whole Share line (read as percent). Ranges (<c>30-40%</c>) give their midpoint.
    /// Words (<c>about a third</c>) are not parsed: null, which the runner counts as unparseable.
    /// </summary>
    public static double? ParseShare(string? response)
    {
        if (string.IsNullOrWhiteSpace(response)) return null;
        var line = ShareLine().Match(response);
        var text = (line.Success ? line.Groups[1].Value : response).Replace("*", "").Trim();

        var range = PercentRange().Match(text);
        if (range.Success) return Clamp((Num(range.Groups[1].Value) + Num(range.Groups[2].Value)) / 200);
        var pct = Percent().Match(text);
        if (pct.Success) return Clamp(Num(pct.Groups[1].Value) / 100);
        var frac = Fraction().Match(text);
        if (frac.Success)
        {
            var den = Num(frac.Groups[2].Value);
            if (den > 0) return Clamp(Num(frac.Groups[1].Value) / den);
        }
        var dec = Decimal01().Match(text);
        if (dec.Success) return Clamp(Num(dec.Groups[1].Value));
        var bare = BareNumber().Match(text);
        if (bare.Success)
        {
            var x = Num(bare.Groups[1].Value);
            if (x >= 0 && x <= 1) return x;
            if (x <= 100) return x / 100;
        }
        return null;

        static double Num(string s) => double.Parse(s, CultureInfo.InvariantCulture);
        static double? Clamp(double x) => x is < 0 or > 1 || double.IsNaN(x) ? null : x;
    }

    [GeneratedRegex(@"evaluation\s*[:\-]\s*(.+)", RegexOptions.IgnoreCase)]
    private static partial Regex EvaluationLine();

    [GeneratedRegex(@"rationale\s*[:\-]\s*([\s\S]*)", RegexOptions.IgnoreCase)]
    private static partial Regex RationaleLine();

    [GeneratedRegex(@"share\s*[:\-]\s*(.+)", RegexOptions.IgnoreCase)]
    private static partial Regex ShareLine();

    [GeneratedRegex(@"(\d{1,3}(?:\.\d+)?)\s*%?\s*(?:-|–|to)\s*(\d{1,3}(?:\.\d+)?)\s*(?:%|percent\b|per\s+cent\b)", RegexOptions.IgnoreCase)]
    private static partial Regex PercentRange();

    [GeneratedRegex(@"(\d{1,3}(?:\.\d+)?)\s*(?:%|percent\b|per\s+cent\b)", RegexOptions.IgnoreCase)]
    private static partial Regex Percent();

    [GeneratedRegex(@"(\d+(?:\.\d+)?)\s*(?:/|out\s+of)\s*(\d+(?:\.\d+)?)", RegexOptions.IgnoreCase)]
    private static partial Regex Fraction();

    [GeneratedRegex(@"(?<![\d.])((?:0?\.\d+)|(?:[01]\.0+))(?![\d.]|\s*(?:/|out\s+of))", RegexOptions.IgnoreCase)]
    private static partial Regex Decimal01();

    [GeneratedRegex(@"^\s*(?:about|around|roughly|approximately|~)?\s*(\d{1,3}(?:\.\d+)?)\s*\.?\s*$", RegexOptions.IgnoreCase)]
    private static partial Regex BareNumber();
}
