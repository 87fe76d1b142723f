using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using MoralGap.Notebooks;

namespace MoralGap.Runner.Notebooks;

/// <summary>
/// Data a notebook needs from outside the repository, declared in its notebook-level metadata:
/// <code>"metadata": { ..., "moralgap": { "requires": ["Votes", "Judgments"] } }</code>
/// Each name is a <c>string</c> parameter of the cell tagged <c>parameters</c> (see <see cref="ParameterCell"/>) whose
/// value is one path or a comma-separated list of paths, each <c>path</c> or <c>name=path</c> (a model name before the
/// first <c>=</c>), relative to the repository root or absolute. The value is the last <c>-p NAME=VALUE</c> given, else
/// the default in the parameters cell when it is a plain C# string literal (regular, verbatim <c>@"..."</c> or a one-line
/// raw <c>"""..."""</c>). A default that is not a plain literal (<c>Path.Combine(...)</c>, <c>$"..."</c>, <c>null</c>) is
/// not guessed at: the requirement counts as satisfied and the notebook itself reports what it cannot read.
/// The <c>run</c> verb skips a notebook with an absent path, before starting its kernel, and leaves its file untouched.
/// </summary>
public static class NotebookRequirements
{
    /// <summary>The notebook-metadata key of the runner's settings.</summary>
    public const string MetadataKey = "moralgap";

    /// <summary>The key, inside <see cref="MetadataKey"/>, of the list of parameter names that hold required paths.</summary>
    public const string RequiresKey = "requires";

    private const string Example = "e.g. \"moralgap\": { \"requires\": [\"Votes\"] }";

    /// <summary>
    /// The parameter names listed in <c>metadata.moralgap.requires</c>, in order; empty when the notebook declares none.
    /// Throws <see cref="InvalidDataException"/> naming the notebook when the entry is not a list of parameter names.
    /// </summary>
    public static IReadOnlyList<string> RequiredParameters(NotebookFile notebook)
    {
        var name = System.IO.Path.GetFileName(notebook.Path);
        var settings = notebook.Metadata?[MetadataKey];
        if (settings is null) return [];
        if (settings is not JsonObject obj)
            throw new InvalidDataException($"{name}: metadata \"{MetadataKey}\" must be an object ({Example}), got {settings.ToJsonString()}");
        var requires = obj[RequiresKey];
        if (requires is null) return [];
        if (requires is not JsonArray list)
            throw new InvalidDataException($"{name}: metadata \"{MetadataKey}.{RequiresKey}\" must be a list of parameter names ({Example}), got {requires.ToJsonString()}");
        var names = new List<string>();
        foreach (var item in list)
        {
            if (item is not JsonValue v || !v.TryGetValue<string>(out var s) || string.IsNullOrWhiteSpace(s))
                throw new InvalidDataException($"{name}: metadata \"{MetadataKey}.{RequiresKey}\" must hold parameter names (non-empty strings), got {item?.ToJsonString() ?? "null"}");
            names.Add(s.Trim());
        }
        return names;
    }

    /// <summary>
    /// Every path the notebook requires, with <paramref name="overrides"/> (the <c>-p</c> values, in order; the last one
    /// of a name wins, as in the injected cell) applied. Throws <see cref="InvalidDataException"/> when the declaration
    /// is wrong: no parameters cell, a name the cell does not declare, a parameter that is not a string.
    /// </summary>
    public static IReadOnlyList<RequiredDataPath> Resolve(NotebookFile notebook, IReadOnlyList<KeyValuePair<string, string>> overrides)
    {
        var required = RequiredParameters(notebook);
        if (required.Count == 0) return [];
        var name = System.IO.Path.GetFileName(notebook.Path);
        var index = notebook.ParametersCellIndex();
        if (index < 0)
            throw new InvalidDataException(
                $"{name}: metadata \"{MetadataKey}.{RequiresKey}\" names {string.Join(", ", required)}, but the notebook has no parameters cell (a code cell tagged \"{ParameterCell.ParametersTag}\")");
        var declared = ParameterCell.Parse(NotebookFile.Source(notebook.Cells[index]!));
        var result = new List<RequiredDataPath>();
        foreach (var parameter in required)
        {
            var p = declared.FirstOrDefault(d => d.Name == parameter)
                ?? throw new InvalidDataException(
                    $"{name}: metadata \"{MetadataKey}.{RequiresKey}\" names '{parameter}', which the parameters cell does not declare. Declared: "
                    + (declared.Count == 0 ? "(none)" : string.Join(", ", declared.Select(d => d.ToString()))));
            if (Value(p, overrides, name) is { } value)
                result.AddRange(SplitPaths(parameter, value));
        }
        return result;
    }

    /// <summary>
    /// The text of a required parameter: the last override, else its literal default; null when it cannot be known
    /// without running code (a non-literal default, or a <c>var</c> parameter whose override is a C# expression).
    /// </summary>
    private static string? Value(NotebookParameter p, IReadOnlyList<KeyValuePair<string, string>> overrides, string notebook)
    {
        var type = p.Type.TrimEnd('?');
        if (type == "var") return null; // `var X = Foo();`: not a string literal, and -p values are then C# expressions
        if (type is not ("string" or "String" or "System.String"))
            throw new InvalidDataException(
                $"{notebook}: metadata \"{MetadataKey}.{RequiresKey}\" names '{p.Name}', which is {p.Type}; it must be a string parameter holding a path or a comma-separated list of paths");
        for (var i = overrides.Count - 1; i >= 0; i--)
            if (overrides[i].Key == p.Name) return overrides[i].Value;
        return TryParseStringLiteral(p.DefaultExpression, out var value) ? value : null;
    }

    /// <summary>
    /// Splits a parameter's value into paths: items separated by commas, each <c>path</c> or <c>name=path</c> (the text
    /// before the first <c>=</c> is a model name), surrounding spaces trimmed; empty items and empty paths are ignored.
    /// </summary>
    public static IReadOnlyList<RequiredDataPath> SplitPaths(string parameter, string value) =>
        RequiredData.SplitPaths(parameter, value);

    /// <summary>The required paths that exist neither as a file nor as a folder (relative ones resolved against <paramref name="repoRoot"/>).</summary>
    public static IReadOnlyList<RequiredDataPath> Missing(IEnumerable<RequiredDataPath> required, string repoRoot) =>
        required.Where(r => !r.Exists(repoRoot)).ToList();

    /// <summary>
    /// The line the runner prints for a skipped notebook, e.g.
    /// <c>skip 10-real-models.ipynb: needs ../shared/data/x.csv (parameter Votes), which is absent</c>.
    /// </summary>
    public static string SkipLine(string notebookName, IReadOnlyList<RequiredDataPath> missing) =>
        RequiredData.SkipLine(notebookName, missing);

    /// <summary>
    /// The value of a C# string literal: regular (<c>"a\\b"</c>, with the simple, <c>\x</c>, <c>\u</c> and <c>\U</c>
    /// escapes), verbatim (<c>@"a\b"</c>, <c>""</c> for a quote) or one-line raw (<c>"""a"b"""</c>). False for anything
    /// else: an interpolated string, a concatenation, a call, <c>null</c>, a <c>u8</c> literal.
    /// </summary>
    public static bool TryParseStringLiteral(string expression, out string value)
    {
        value = "";
        var e = expression.Trim();
        string? parsed = e.StartsWith("@\"", StringComparison.Ordinal) ? ParseVerbatim(e)
            : e.StartsWith("\"\"\"", StringComparison.Ordinal) ? ParseRaw(e)
            : e.StartsWith('"') ? ParseRegular(e)
            : null;
        if (parsed is null) return false;
        value = parsed;
        return true;
    }

    private static string? ParseVerbatim(string e)
    {
        var sb = new StringBuilder();
        for (var i = 2; i < e.Length; i++)
        {
            if (e[i] != '"')
            {
                sb.Append(e[i]);
                continue;
            }
            if (i + 1 < e.Length && e[i + 1] == '"')
            {
                sb.Append('"');
                i++;
                continue;
            }
            return i == e.Length - 1 ? sb.ToString() : null;
        }
        return null; // no closing quote
    }

    private static string? ParseRaw(string e)
    {
        var quotes = 0;
        while (quotes < e.Length && e[quotes] == '"') quotes++;
        var closing = 0;
        while (closing < e.Length - quotes && e[e.Length - 1 - closing] == '"') closing++;
        if (closing != quotes) return null;
        var content = e[quotes..^quotes];
        return content.Length == 0 || content.Contains('\n') || content.Contains(new string('"', quotes)) ? null : content;
    }

    private static string? ParseRegular(string e)
    {
        var sb = new StringBuilder();
        for (var i = 1; i < e.Length; i++)
        {
            var c = e[i];
            if (c == '"') return i == e.Length - 1 ? sb.ToString() : null;
            if (c is '\n' or '\r') return null;
            if (c != '\\')
            {
                sb.Append(c);
                continue;
            }
            if (++i >= e.Length) return null;
            switch (e[i])
            {
                case '\'': sb.Append('\''); break;
                case '"': sb.Append('"'); break;
                case '\\': sb.Append('\\'); break;
                case '0': sb.Append('\0'); break;
                case 'a': sb.Append('\a'); break;
                case 'b': sb.Append('\b'); break;
                case 'e': sb.Append('\u001b'); break;
                case 'f': sb.Append('\f'); break;
                case 'n': sb.Append('\n'); break;
                case 'r': sb.Append('\r'); break;
                case 't': sb.Append('\t'); break;
                case 'v': sb.Append('\v'); break;
                case 'u' when Hex(e, i + 1, 4, 4, out var u, out var ul):
                    sb.Append((char)u);
                    i += ul;
                    break;
                case 'U' when Hex(e, i + 1, 8, 8, out var cp, out var cl) && cp <= 0x10FFFF && cp is < 0xD800 or > 0xDFFF:
                    sb.Append(char.ConvertFromUtf32(cp));
                    i += cl;
                    break;
                case 'x' when Hex(e, i + 1, 1, 4, out var x, out var xl):
                    sb.Append((char)x);
                    i += xl;
                    break;
                default:
                    return null; // not a valid escape: not a literal we can read
            }
        }
        return null; // no closing quote
    }

    /// <summary>Reads min..max hex digits at <paramref name="start"/> (as many as there are, up to max).</summary>
    private static bool Hex(string s, int start, int min, int max, out int value, out int length)
    {
        length = 0;
        while (length < max && start + length < s.Length && Uri.IsHexDigit(s[start + length])) length++;
        value = length >= min ? int.Parse(s.AsSpan(start, length), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture) : 0;
        return length >= min;
    }
}
