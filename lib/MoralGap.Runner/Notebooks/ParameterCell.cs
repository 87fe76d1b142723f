using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace MoralGap.Runner.Notebooks;

/// <summary>One declaration of a notebook's parameters cell, e.g. <c>double Temperature = 0.7;</c>.</summary>
/// <param name="Name">The variable name.</param>
/// <param name="Type">The C# type: the declared one, or for <c>var</c> the type of the literal (int, long, double, float, decimal, bool, string, char).</param>
/// <param name="DefaultExpression">The expression in the cell, as written.</param>
public sealed record NotebookParameter(string Name, string Type, string DefaultExpression)
{
    public override string ToString() => $"{Type} {Name} = {DefaultExpression}";
}

/// <summary>
/// Papermill's parameters for C# notebooks: the cell tagged <c>parameters</c> declares defaults; a run with
/// <c>-p Name=Value</c> inserts a cell tagged <c>injected-parameters</c> after it that assigns the overrides
/// as typed C# (strings quoted and escaped, numbers in invariant culture, bools as true/false).
/// </summary>
public static class ParameterCell
{
    /// <summary>Papermill's tag for the cell holding the defaults.</summary>
    public const string ParametersTag = "parameters";

    /// <summary>Papermill's tag for the cell the runner inserts.</summary>
    public const string InjectedTag = "injected-parameters";

    // A top-level declaration `Type Name = expression;` on one line. Roslyn would be exact, but the runner does not
    // otherwise need a C# parser; parameters cells are simple declarations by convention (the style of papermill parameters cells).
    private static readonly Regex Declaration = new(
        @"^\s*(?:const\s+)?(?<type>[A-Za-z_][\w.]*(?:<[\w\s,.<>]+>)?(?:\[\])?\??)\s+(?<name>[A-Za-z_]\w*)\s*=\s*(?<expr>.+?)\s*;\s*(?://.*)?$",
        RegexOptions.Multiline | RegexOptions.CultureInvariant);

    /// <summary>Parses the declarations of a parameters cell (lines that are not declarations are ignored).</summary>
    public static IReadOnlyList<NotebookParameter> Parse(string source)
    {
        var result = new List<NotebookParameter>();
        foreach (Match m in Declaration.Matches(source.Replace("\r\n", "\n")))
        {
            var type = m.Groups["type"].Value;
            if (type is "return" or "using" or "await") continue;
            var expr = m.Groups["expr"].Value;
            result.Add(new NotebookParameter(m.Groups["name"].Value, type == "var" ? InferType(expr) : type, expr));
        }
        return result;
    }

    /// <summary>The type of a literal written after <c>var</c>; "var" when it is not a plain literal.</summary>
    public static string InferType(string expression)
    {
        var e = expression.Trim();
        if (e.StartsWith('"') || e.StartsWith("@\"") || e.StartsWith("$\"") || e.StartsWith("\"\"\"")) return "string";
        if (e.StartsWith('\'')) return "char";
        if (e is "true" or "false") return "bool";
        if (Regex.IsMatch(e, @"^-?\d[\d_]*[lL]$")) return "long";
        if (Regex.IsMatch(e, @"^-?\d[\d_]*$")) return "int";
        if (Regex.IsMatch(e, @"^-?[\d_]*\.?[\d_]+(e[+-]?\d+)?[mM]$")) return "decimal";
        if (Regex.IsMatch(e, @"^-?[\d_]*\.?[\d_]+(e[+-]?\d+)?[fF]$")) return "float";
        if (Regex.IsMatch(e, @"^-?[\d_]*\.?[\d_]+(e[+-]?\d+)?[dD]?$", RegexOptions.IgnoreCase)) return "double";
        return "var";
    }

    /// <summary>
    /// The C# source of the injected cell: one assignment per override, in the order given.
    /// Throws <see cref="ArgumentException"/> naming the unknown parameter and listing the known ones,
    /// or naming a value that is not of the parameter's type.
    /// </summary>
    public static string RenderInjectedCell(IReadOnlyList<NotebookParameter> declared, IEnumerable<KeyValuePair<string, string>> overrides, string notebook)
    {
        var sb = new StringBuilder("// Parameters injected by MoralGap.Runner (-p Name=Value)\n");
        foreach (var (name, value) in overrides)
        {
            var p = declared.FirstOrDefault(d => d.Name == name)
                ?? throw new ArgumentException(
                    $"{notebook}: unknown parameter '{name}'. Known parameters: "
                    + (declared.Count == 0 ? "(none)" : string.Join(", ", declared.Select(d => d.ToString()))));
            sb.Append(p.Name).Append(" = ").Append(RenderValue(p, value, notebook)).Append(";\n");
        }
        return sb.ToString();
    }

    /// <summary>Renders a command-line value as a C# expression of the parameter's type.</summary>
    public static string RenderValue(NotebookParameter p, string value, string notebook)
    {
        var inv = CultureInfo.InvariantCulture;
        string Bad(string what) => throw new ArgumentException($"{notebook}: parameter '{p.Name}' is {p.Type}; '{value}' is not {what}");
        var type = p.Type.TrimEnd('?');
        if (p.Type.EndsWith('?') && value == "null") return "null";
        switch (type)
        {
            case "string" or "String" or "System.String":
                return StringLiteral(value);
            case "char" or "Char":
                return value.Length == 1 ? "'" + EscapeChar(value[0], '\'') + "'" : Bad("one character");
            case "bool" or "Boolean":
                return bool.TryParse(value, out var b) ? (b ? "true" : "false") : Bad("true or false");
            case "int" or "Int32":
                return int.TryParse(value, NumberStyles.Integer, inv, out var i) ? i.ToString(inv) : Bad("an int");
            case "long" or "Int64":
                return long.TryParse(value, NumberStyles.Integer, inv, out var l) ? l.ToString(inv) + "L" : Bad("a long");
            case "double" or "Double":
                return double.TryParse(value, NumberStyles.Float, inv, out var d) && double.IsFinite(d) ? d.ToString("R", inv) + "d" : Bad("a finite number (use '.' as decimal point)");
            case "float" or "Single":
                return float.TryParse(value, NumberStyles.Float, inv, out var f) && float.IsFinite(f) ? f.ToString("R", inv) + "f" : Bad("a finite number (use '.' as decimal point)");
            case "decimal" or "Decimal":
                return decimal.TryParse(value, NumberStyles.Float, inv, out var m) ? m.ToString(inv) + "m" : Bad("a decimal number (use '.' as decimal point)");
            default:
                // Any other declared type (an enum, an array, `var x = Foo()`): the value is taken as a C# expression.
                return value;
        }
    }

    /// <summary>A regular C# string literal for any text (quotes, backslashes and control characters escaped).</summary>
    public static string StringLiteral(string value)
    {
        var sb = new StringBuilder("\"");
        foreach (var c in value) sb.Append(EscapeChar(c, '"'));
        return sb.Append('"').ToString();
    }

    private static string EscapeChar(char c, char quote) => c switch
    {
        '\\' => "\\\\",
        '\n' => "\\n",
        '\r' => "\\r",
        '\t' => "\\t",
        '\0' => "\\0",
        _ when c == quote => "\\" + quote,
        _ when char.IsControl(c) || c is '\u2028' or '\u2029' or '\u0085' => $"\\u{(int)c:x4}",
        _ => c.ToString(),
    };
}
