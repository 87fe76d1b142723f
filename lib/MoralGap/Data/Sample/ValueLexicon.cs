namespace MoralGap.Data;

/// <summary>One phrasing of a value, as it could appear in a rationale clause.</summary>
/// <param name="Value">A value name of <see cref="PaperValues.Names"/>.</param>
/// <param name="Phrase">A natural clause expressing it (e.g. Integrity: "keeping your word").</param>
/// <param name="Line">The 1-based line of the lexicon file it came from (0 when not read from a file).</param>
public sealed record ValuePhrase(string Value, string Phrase, long Line = 0);

/// <summary>
/// The project's value-expression lexicon (<c>data/value-lexicon.tsv</c>, header <c>value\tphrase</c>): at least five
/// natural phrasings for each of the paper's 59 values, written for this project. The embedded sample composes its
/// rationales from these phrasings; the offline value extractor (MoralGap.Values.ValueLexicon) matches rationale
/// clauses back to them. This class holds the one reader of the format; blank lines and lines starting with '#' are ignored.
/// </summary>
public static class ValueLexicon
{
    /// <summary>The lexicon's path inside the repository.</summary>
    public static string RelativePath { get; } = Path.Combine("data", "value-lexicon.tsv");

    /// <summary>Minimum number of phrasings per value that <see cref="Load"/> requires by default.</summary>
    public const int MinPhrasesPerValue = 5;

    /// <summary>
    /// Reads the lexicon (default: found above the current directory, see <see cref="DilemmaDataset.FindRepoFolder"/>);
    /// see <see cref="Parse(IEnumerable{ValueTuple{long, string}}, string, int, bool)"/> for the checks. By default every
    /// one of the paper's values must have at least <see cref="MinPhrasesPerValue"/> phrasings.
    /// </summary>
    /// <exception cref="FileNotFoundException">No such file.</exception>
    /// <exception cref="DataFormatException">What is wrong, with file, line and field.</exception>
    public static IReadOnlyList<ValuePhrase> Load(string? path = null, int minPhrasesPerValue = MinPhrasesPerValue, bool requireAllValues = true)
    {
        path ??= DilemmaDataset.FindRepoFolder(RelativePath);
        if (!File.Exists(path)) throw new FileNotFoundException($"Value lexicon not found: {path}", path);
        return Parse(TextLines.ReadLines(path), path, minPhrasesPerValue, requireAllValues);
    }

    /// <summary>Parses lexicon lines given as text (line i of the list is line i + 1); see the other overload.</summary>
    public static IReadOnlyList<ValuePhrase> Parse(IReadOnlyList<string> lines, string source, int minPhrasesPerValue = MinPhrasesPerValue,
        bool requireAllValues = true)
    {
        ArgumentNullException.ThrowIfNull(lines);
        return Parse(lines.Select((text, i) => ((long)i + 1, text)), source, minPhrasesPerValue, requireAllValues);
    }

    /// <summary>
    /// Parses lexicon lines (1-based line number, text). Checks: the header <c>value&lt;TAB&gt;phrase</c>; exactly two
    /// tab-separated fields a line; a value name of <see cref="PaperValues"/> (case-insensitive, returned in the paper's
    /// spelling); a non-empty phrase not listed before (case-insensitive); at least <paramref name="minPhrasesPerValue"/>
    /// phrasings for every value present and, with <paramref name="requireAllValues"/>, for every one of the paper's values.
    /// </summary>
    /// <param name="lines">The lines; blank lines and lines starting with '#' are skipped.</param>
    /// <param name="source">The file name used in error messages.</param>
    /// <param name="minPhrasesPerValue">Minimum phrasings per value (≥ 1).</param>
    /// <param name="requireAllValues">Whether every one of the paper's 59 values must be present.</param>
    /// <exception cref="DataFormatException">What is wrong, with file, line and field.</exception>
    // A hand-written reader rather than CsvHelper: the format has no quoting, and errors must name the exact line.
    public static IReadOnlyList<ValuePhrase> Parse(IEnumerable<(long Line, string Text)> lines, string source, int minPhrasesPerValue = MinPhrasesPerValue,
        bool requireAllValues = true)
    {
        ArgumentNullException.ThrowIfNull(lines);
        ArgumentNullException.ThrowIfNull(source);
        ArgumentOutOfRangeException.ThrowIfLessThan(minPhrasesPerValue, 1);
        var list = new List<ValuePhrase>();
        var seen = new Dictionary<string, ValuePhrase>(StringComparer.OrdinalIgnoreCase);
        var header = false;
        foreach (var (line, raw) in lines)
        {
            var text = raw.TrimEnd('\r');
            if (text.Trim().Length == 0 || text.TrimStart().StartsWith('#')) continue;
            var cols = text.Split('\t');
            if (!header)
            {
                if (cols.Length != 2 || cols[0].Trim() != "value" || cols[1].Trim() != "phrase")
                    throw new DataFormatException(source, line, null, $"header is '{text.Replace("\t", "<TAB>")}', expected 'value<TAB>phrase'");
                header = true;
                continue;
            }
            if (cols.Length != 2) throw new DataFormatException(source, line, null, $"{cols.Length} tab-separated fields, expected 2 (value, phrase)");
            var value = cols[0].Trim();
            var phrase = cols[1].Trim();
            if (value.Length == 0) throw new DataFormatException(source, line, "value", "empty");
            if (phrase.Length == 0) throw new DataFormatException(source, line, "phrase", "empty");
            var i = PaperValues.IndexOf(value);
            if (i < 0) throw new DataFormatException(source, line, "value", $"'{value}' is not one of the paper's {PaperValues.Count} values (MoralGap.Data.PaperValues.Names)");
            var entry = new ValuePhrase(PaperValues.Names[i], phrase, line);
            if (seen.TryGetValue(phrase, out var earlier))
                throw new DataFormatException(source, line, "phrase", $"'{phrase}' already appears on line {earlier.Line} (value {earlier.Value})");
            seen[phrase] = entry;
            list.Add(entry);
        }
        if (!header) throw new DataFormatException(source, 0, null, "empty; expected the header 'value<TAB>phrase'");
        if (list.Count == 0) throw new DataFormatException(source, 0, null, "no phrasings after the header");
        var few = list.GroupBy(e => e.Value).Where(g => g.Count() < minPhrasesPerValue)
            .Select(g => $"{g.Key} ({g.Count()}, first on line {g.First().Line})").ToArray();
        if (few.Length > 0)
            throw new DataFormatException(source, 0, "value", $"fewer than {minPhrasesPerValue} phrasings for {string.Join("; ", few)}");
        if (requireAllValues)
        {
            var missing = PaperValues.Names.Except(list.Select(e => e.Value)).ToArray();
            if (missing.Length > 0)
                throw new DataFormatException(source, 0, "value", $"no phrasings for {missing.Length} of the paper's values: {string.Join(", ", missing)}");
        }
        return list;
    }

    /// <summary>The phrasings of each value, indexed like <see cref="PaperValues.Names"/>.</summary>
    public static string[][] ByValue(IReadOnlyList<ValuePhrase> lexicon)
    {
        ArgumentNullException.ThrowIfNull(lexicon);
        return PaperValues.Names.Select(v => lexicon.Where(p => p.Value == v).Select(p => p.Phrase).ToArray()).ToArray();
    }
}
