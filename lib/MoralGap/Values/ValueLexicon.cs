using MoralGap.Data;

namespace MoralGap.Values;

/// <summary>One phrasing of a value, as it could appear in a rationale clause.</summary>
/// <param name="Value">A value name of <see cref="PaperValues.Names"/>.</param>
/// <param name="Phrase">A natural clause expressing it (e.g. Integrity: "keeping your word").</param>
/// <param name="Line">The 1-based line of the lexicon file it came from (0 when not read from a file).</param>
public sealed record ValuePhrase(string Value, string Phrase, long Line = 0);

/// <summary>
/// The value-expression lexicon of the offline extractor: for each value of the paper's taxonomy
/// (<see cref="PaperValues.Names"/>) a few natural-clause phrasings ("she should have told the truth" for Integrity).
/// A tab-separated file with the header <c>value\tphrase</c>, one phrasing a line; blank lines and lines starting
/// with '#' are ignored. The project's lexicon is data/value-lexicon.tsv: at least five phrasings for each of the
/// paper's 59 values, written for this project. The embedded sample composes its rationales from these phrasings, and
/// the offline value extractor matches rationale clauses back to them. The lexicon is the list of its phrasings.
/// </summary>
public sealed class ValueLexicon : IReadOnlyList<ValuePhrase>
{
    /// <summary>The project lexicon's path inside the repository.</summary>
    public static string RelativePath { get; } = Path.Combine("data", "value-lexicon.tsv");

    /// <summary>Default minimum number of phrasings per value.</summary>
    public const int DefaultMinPhrasesPerValue = 5;

    private ValueLexicon(string source, IReadOnlyList<ValuePhrase> entries)
    {
        Source = source;
        Entries = entries;
        Values = entries.Select(e => e.Value).Distinct().OrderBy(PaperValues.IndexOf).ToArray();
    }

    /// <summary>Where the lexicon came from (a path, or a description).</summary>
    public string Source { get; }

    /// <summary>All phrasings, in file order.</summary>
    public IReadOnlyList<ValuePhrase> Entries { get; }

    /// <summary>Number of phrasings.</summary>
    public int Count => Entries.Count;

    /// <summary>Phrasing <paramref name="index"/>, in file order.</summary>
    public ValuePhrase this[int index] => Entries[index];

    /// <inheritdoc/>
    public IEnumerator<ValuePhrase> GetEnumerator() => Entries.GetEnumerator();

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>The phrasings of each value, indexed like <see cref="PaperValues.Names"/> (empty for a value not covered).</summary>
    public string[][] ByValue() => PaperValues.Names.Select(v => Entries.Where(p => p.Value == v).Select(p => p.Phrase).ToArray()).ToArray();

    /// <summary>The values the lexicon covers, in the order of <see cref="PaperValues.Names"/>.</summary>
    public IReadOnlyList<string> Values { get; }

    /// <summary>The phrasings of <paramref name="value"/> (empty when it is not covered).</summary>
    public IReadOnlyList<string> PhrasesOf(string value) =>
        Entries.Where(e => string.Equals(e.Value, value, StringComparison.OrdinalIgnoreCase)).Select(e => e.Phrase).ToArray();

    /// <summary>
    /// Reads a lexicon file. Value names are matched to <see cref="PaperValues.Names"/> case-insensitively and stored in
    /// the paper's spelling.
    /// </summary>
    /// <param name="path">The TSV file; null for the project's lexicon (<see cref="RelativePath"/>, found above the
    /// current directory).</param>
    /// <param name="minPhrasesPerValue">Each value present must have at least this many phrasings (default 5).</param>
    /// <param name="requireAllValues">When true, every one of the paper's 59 values must be present.</param>
    /// <exception cref="FileNotFoundException">No such file.</exception>
    /// <exception cref="DataFormatException">A bad header, a line without exactly two fields, an empty field, an
    /// unknown value name, a phrase listed twice, or a value with too few phrasings; the message names file, line and field.</exception>
    public static ValueLexicon Load(string? path = null, int minPhrasesPerValue = DefaultMinPhrasesPerValue, bool requireAllValues = false)
    {
        path ??= DilemmaDataset.FindRepoFolder(RelativePath);
        if (!File.Exists(path)) throw new FileNotFoundException($"Value lexicon not found: {path}", path);
        return new ValueLexicon(path, ParseRows(TextLines.ReadLines(path), path, minPhrasesPerValue, requireAllValues));
    }

    /// <summary>Parses lexicon lines given as text (line i of the list is line i + 1; see <see cref="Load"/>); <paramref name="source"/> names them in error messages.</summary>
    public static ValueLexicon Parse(IReadOnlyList<string> lines, string source, int minPhrasesPerValue = DefaultMinPhrasesPerValue, bool requireAllValues = false)
    {
        ArgumentNullException.ThrowIfNull(lines);
        return new ValueLexicon(source, ParseRows(lines.Select((text, i) => ((long)i + 1, text)), source, minPhrasesPerValue, requireAllValues));
    }

    /// <summary>
    /// This lexicon with the phrasings of another lexicon file appended (any number per value, even one): how
    /// <c>data/value-lexicon-colloquial.tsv</c>'s short Reddit-register phrasings ("invading your privacy") join the
    /// main lexicon for matching. A phrasing already in this lexicon is an error naming the file and line.
    /// </summary>
    /// <param name="path">The TSV file of added phrasings (same format as <see cref="Load"/>).</param>
    /// <exception cref="DataFormatException">A malformed line, or a phrasing listed in both files.</exception>
    public ValueLexicon WithPhrasings(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var added = Load(path, minPhrasesPerValue: 1);
        var known = new HashSet<string>(Entries.Select(e => e.Phrase), StringComparer.OrdinalIgnoreCase);
        foreach (var p in added)
            if (known.Contains(p.Phrase)) throw new DataFormatException(path, p.Line, "phrase", $"'{p.Phrase}' is already in {Source}");
        return new ValueLexicon($"{Source} + {path}", [.. Entries, .. added.Entries]);
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
    private static IReadOnlyList<ValuePhrase> ParseRows(IEnumerable<(long Line, string Text)> lines, string source, int minPhrasesPerValue,
        bool requireAllValues)
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


    /// <inheritdoc/>
    public override string ToString() => $"ValueLexicon({Values.Count} values, {Entries.Count} phrasings, {Source})";
}
