using MoralGap.Data;

namespace MoralGap.Values.Evaluation;

/// <summary>One argument of a ValueEval arguments file: a premise for or against a conclusion.</summary>
/// <param name="Id">The "Argument ID" (e.g. A01002).</param>
/// <param name="Conclusion">The conclusion ("We should ban human cloning").</param>
/// <param name="Stance">"in favor of" or "against".</param>
/// <param name="Premise">The premise: the text people annotated with values.</param>
/// <param name="Line">1-based line in its file.</param>
public sealed record ValueEvalArgument(string Id, string Conclusion, string Stance, string Premise, int Line)
{
    /// <summary>
    /// The text the extractors read: the premise, which carries the values (measured on the training split, adding
    /// "(stance: conclusion)" lowered the zero-shot macro-F1 by about 0.02).
    /// </summary>
    public string Text => Premise;
}

/// <summary>Arguments with their 0/1 labels, one column per category, rows in the arguments file's order.</summary>
/// <param name="Categories">The label columns, in file order.</param>
/// <param name="Arguments">The arguments.</param>
/// <param name="Labels">Labels[i][c] is true when argument i was annotated with category c.</param>
public sealed record ValueEvalSet(IReadOnlyList<string> Categories, IReadOnlyList<ValueEvalArgument> Arguments, IReadOnlyList<bool[]> Labels)
{
    /// <summary>Number of arguments.</summary>
    public int Count => Arguments.Count;

    /// <summary>The argument texts (<see cref="ValueEvalArgument.Text"/>), in order.</summary>
    public string[] Texts() => Arguments.Select(a => a.Text).ToArray();

    /// <summary>The subset at <paramref name="rows"/>, in that order.</summary>
    public ValueEvalSet Subset(IEnumerable<int> rows)
    {
        var r = rows.ToArray();
        return new ValueEvalSet(Categories, r.Select(i => Arguments[i]).ToArray(), r.Select(i => Labels[i]).ToArray());
    }
}

/// <summary>
/// Readers for the Touché23-ValueEval files (Kiesel et al. 2023, SemEval-2023 Task 4; tab-separated, UTF-8, one header
/// line): <c>arguments-*.tsv</c> with the columns Argument ID, Conclusion, Stance, Premise (any order; extra columns are
/// ignored) and <c>labels-*.tsv</c> with Argument ID followed by one 0/1 column per value category. Every problem is a
/// <see cref="DataFormatException"/> naming file, line and field: a missing column, a line with too few or too many
/// fields, an empty or repeated id, a cell other than 0 or 1, an argument without labels, labels without an argument.
/// </summary>
public static class ValueEvalData
{
    /// <summary>The id column of both files.</summary>
    public const string IdColumn = "Argument ID";

    private static readonly string[] ArgumentColumns = [IdColumn, "Conclusion", "Stance", "Premise"];

    /// <summary>Reads an arguments file (see the class remarks).</summary>
    public static IReadOnlyList<ValueEvalArgument> ReadArguments(string path)
    {
        var (header, rows) = ReadTsv(path);
        var at = ArgumentColumns.Select(c => ColumnOf(path, header, c)).ToArray();
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        var result = new List<ValueEvalArgument>(rows.Count);
        foreach (var (line, f) in rows)
        {
            var id = f[at[0]].Trim();
            if (id.Length == 0) throw new DataFormatException(path, line, IdColumn, "empty argument id.");
            if (!seen.TryAdd(id, line)) throw new DataFormatException(path, line, IdColumn, $"argument id {id} repeats line {seen[id]}.");
            for (var k = 1; k < at.Length; k++)
                if (string.IsNullOrWhiteSpace(f[at[k]])) throw new DataFormatException(path, line, ArgumentColumns[k], "empty field.");
            result.Add(new ValueEvalArgument(id, f[at[1]].Trim(), f[at[2]].Trim(), f[at[3]].Trim(), line));
        }
        return result;
    }

    /// <summary>
    /// Reads a labels file: the categories are the header's columns after Argument ID; each cell must be 0 or 1.
    /// When <paramref name="categories"/> is given, each of them must be a column (matched case-insensitively; other
    /// columns are an error too), and the result's columns follow its order.
    /// </summary>
    /// <returns>The category names and, per argument id, its labels (with the line they came from).</returns>
    public static (IReadOnlyList<string> Categories, IReadOnlyDictionary<string, (bool[] Labels, int Line)> ById) ReadLabels(string path, IReadOnlyList<string>? categories = null)
    {
        var (header, rows) = ReadTsv(path);
        var idAt = ColumnOf(path, header, IdColumn);
        var columns = Enumerable.Range(0, header.Length).Where(i => i != idAt).ToArray();
        if (columns.Length == 0) throw new DataFormatException(path, 1, null, "no category columns after Argument ID.");
        string[] names;
        if (categories is null) names = columns.Select(i => header[i]).ToArray();
        else
        {
            foreach (var c in categories) ColumnOf(path, header, c);
            foreach (var i in columns)
                if (!categories.Any(c => string.Equals(c, header[i], StringComparison.OrdinalIgnoreCase)))
                    throw new DataFormatException(path, 1, header[i], "a column that is not a category of the taxonomy.");
            names = categories.ToArray();
            columns = names.Select(c => ColumnOf(path, header, c)).ToArray();
        }
        var byId = new Dictionary<string, (bool[], int)>(StringComparer.Ordinal);
        foreach (var (line, f) in rows)
        {
            var id = f[idAt].Trim();
            if (id.Length == 0) throw new DataFormatException(path, line, IdColumn, "empty argument id.");
            var labels = new bool[columns.Length];
            for (var c = 0; c < columns.Length; c++)
            {
                var cell = f[columns[c]].Trim();
                labels[c] = cell switch
                {
                    "1" => true,
                    "0" => false,
                    _ => throw new DataFormatException(path, line, header[columns[c]], $"'{cell}' is not 0 or 1."),
                };
            }
            if (!byId.TryAdd(id, (labels, line))) throw new DataFormatException(path, line, IdColumn, $"argument id {id} repeats line {byId[id].Item2}.");
        }
        return (names, byId);
    }

    /// <summary>
    /// Reads an arguments file and its labels file and joins them by id. Every argument must have labels and every
    /// labelled id an argument.
    /// </summary>
    /// <param name="argumentsPath">arguments-*.tsv.</param>
    /// <param name="labelsPath">labels-*.tsv.</param>
    /// <param name="categories">When given, the categories the labels file must hold (e.g. the taxonomy's).</param>
    public static ValueEvalSet Read(string argumentsPath, string labelsPath, IReadOnlyList<string>? categories = null)
    {
        var arguments = ReadArguments(argumentsPath);
        var (names, byId) = ReadLabels(labelsPath, categories);
        var labels = new bool[arguments.Count][];
        for (var i = 0; i < arguments.Count; i++)
        {
            var a = arguments[i];
            if (!byId.TryGetValue(a.Id, out var l))
                throw new DataFormatException(argumentsPath, a.Line, IdColumn, $"argument {a.Id} has no labels in {Path.GetFileName(labelsPath)}.");
            labels[i] = l.Labels;
        }
        if (byId.Count > arguments.Count)
        {
            var ids = arguments.Select(a => a.Id).ToHashSet(StringComparer.Ordinal);
            var (id, (_, line)) = byId.Where(kv => !ids.Contains(kv.Key)).OrderBy(kv => kv.Value.Line).Select(kv => (kv.Key, kv.Value)).First();
            throw new DataFormatException(labelsPath, line, IdColumn, $"labels for {id}, which is not an argument of {Path.GetFileName(argumentsPath)}.");
        }
        return new ValueEvalSet(names, arguments, labels);
    }

    private static int ColumnOf(string path, string[] header, string column)
    {
        var i = Array.FindIndex(header, h => string.Equals(h, column, StringComparison.OrdinalIgnoreCase));
        return i >= 0 ? i : throw new DataFormatException(path, 1, column, $"missing column '{column}' (the header has: {string.Join(", ", header)}).");
    }

    private static (string[] Header, List<(int Line, string[] Fields)> Rows) ReadTsv(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (!File.Exists(path)) throw new FileNotFoundException($"File not found: {path}", path);
        using var reader = new StreamReader(path);
        var first = reader.ReadLine() ?? throw new DataFormatException(path, 1, null, "empty file (expected a header line).");
        var header = first.TrimStart('\uFEFF').Split('\t').Select(h => h.Trim()).ToArray();
        var rows = new List<(int, string[])>();
        var lineNo = 1;
        for (var line = reader.ReadLine(); line is not null; line = reader.ReadLine())
        {
            lineNo++;
            if (line.Length == 0 || string.IsNullOrWhiteSpace(line)) continue;
            var f = line.Split('\t');
            if (f.Length != header.Length)
                throw new DataFormatException(path, lineNo, f.Length < header.Length ? header[f.Length] : null,
                    $"{f.Length} tab-separated fields, the header has {header.Length}.");
            rows.Add((lineNo, f));
        }
        return (header, rows);
    }
}
