namespace MoralGap.Data;

/// <summary>
/// Malformed input: says which file, which line (1-based) and which field is wrong, and why.
/// Importers and <see cref="JsonlStore"/> throw it instead of a bare parser exception.
/// </summary>
public sealed class DataFormatException : FormatException
{
    /// <summary>Creates the exception; the message is "<c>file:line: field 'x': reason</c>".</summary>
    public DataFormatException(string file, long line, string? field, string reason, Exception? inner = null)
        : base(Format(file, line, field, reason), inner)
    {
        File = file;
        Line = line;
        Field = field;
        Reason = reason;
    }

    /// <summary>The file name (as given to the reader).</summary>
    public string File { get; }

    /// <summary>1-based line number where the problem was found (0 when it concerns the whole file).</summary>
    public long Line { get; }

    /// <summary>The field (column or JSON property) at fault, or <c>null</c> when the whole line is at fault.</summary>
    public string? Field { get; }

    /// <summary>What is wrong, without the location.</summary>
    public string Reason { get; }

    /// <summary>"file:line" for reports.</summary>
    public string Location => $"{Path.GetFileName(File)}:{Line}";

    private static string Format(string file, long line, string? field, string reason) =>
        $"{Path.GetFileName(file)}:{line}: " + (field is null ? "" : $"field '{field}': ") + reason;
}
