using MoralGap.Data;

namespace MoralGap.Values;

/// <summary>One phrasing of a value in the lexicon, with the line it came from.</summary>
public sealed record LexiconEntry(string Value, string Phrase, int Line);

/// <summary>
/// The value-expression lexicon of the offline extractor: for each value of the paper's taxonomy
/// (<see cref="PaperValues.Names"/>) a few natural-clause phrasings ("she should have told the truth" for Integrity).
/// A tab-separated file with the header <c>value\tphrase</c>, one phrasing a line; blank lines and lines starting
/// with '#' are ignored. The project's lexicon is data/value-lexicon.tsv.
/// </summary>
public sealed class ValueLexicon
{
    /// <summary>Default minimum number of phrasings per value.</summary>
    public const int DefaultMinPhrasesPerValue = 5;

    private ValueLexicon(string source, IReadOnlyList<LexiconEntry> entries)
    {
        Source = source;
        Entries = entries;
        Values = entries.Select(e => e.Value).Distinct().OrderBy(PaperValues.IndexOf).ToArray();
    }

    /// <summary>Where the lexicon came from (a path, or a description).</summary>
    public string Source { get; }

    /// <summary>All phrasings, in file order.</summary>
    public IReadOnlyList<LexiconEntry> Entries { get; }

    /// <summary>The values the lexicon covers, in the order of <see cref="PaperValues.Names"/>.</summary>
    public IReadOnlyList<string> Values { get; }

    /// <summary>The phrasings of <paramref name="value"/> (empty when it is not covered).</summary>
    public IReadOnlyList<string> PhrasesOf(string value) =>
        Entries.Where(e => string.Equals(e.Value, value, StringComparison.OrdinalIgnoreCase)).Select(e => e.Phrase).ToArray();

    /// <summary>
    /// Reads a lexicon file. Value names are matched to <see cref="PaperValues.Names"/> case-insensitively and stored
    /// in the paper's spelling.
    /// </summary>
    /// <param name="path">The TSV file.</param>
    /// <param name="minPhrasesPerValue">Each value present must have at least this many phrasings (default 5).</param>
    /// <param name="requireAllValues">When true, every one of the paper's 59 values must be present.</param>
    /// <exception cref="FileNotFoundException">No such file.</exception>
    /// <exception cref="InvalidDataException">A bad header, a line without exactly two fields, an empty field, an
    /// unknown value name, a phrase listed twice, or a value with too few phrasings; the message names file, line and field.</exception>
    public static ValueLexicon Load(string path, int minPhrasesPerValue = DefaultMinPhrasesPerValue, bool requireAllValues = false)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (!File.Exists(path)) throw new FileNotFoundException($"Value lexicon not found: {path}", path);
        return Parse(File.ReadAllLines(path), path, minPhrasesPerValue, requireAllValues);
    }

    /// <summary>Parses lexicon lines (see <see cref="Load"/>); <paramref name="source"/> names them in error messages.</summary>
    // A hand-written reader rather than CsvHelper: the format has no quoting, and errors must name the exact line.
    public static ValueLexicon Parse(IReadOnlyList<string> lines, string source, int minPhrasesPerValue = DefaultMinPhrasesPerValue, bool requireAllValues = false)
    {
        ArgumentNullException.ThrowIfNull(lines);
        ArgumentOutOfRangeException.ThrowIfLessThan(minPhrasesPerValue, 1);
        var header = lines.Select((l, i) => (l, i)).FirstOrDefault(x => !IsSkipped(x.l));
        if (header.l is null)
            throw new InvalidDataException($"{source}: empty; expected the header 'value<TAB>phrase'.");
        var cols = header.l.TrimEnd('\r').Split('\t');
        if (cols.Length != 2 || cols[0].Trim() != "value" || cols[1].Trim() != "phrase")
            throw new InvalidDataException($"{source}, line {header.i + 1}: header is '{header.l.Replace("\t", "<TAB>")}', expected 'value<TAB>phrase'.");

        var entries = new List<LexiconEntry>();
        var seen = new Dictionary<string, LexiconEntry>(StringComparer.OrdinalIgnoreCase);
        for (var i = header.i + 1; i < lines.Count; i++)
        {
            var line = lines[i].TrimEnd('\r');
            if (IsSkipped(line)) continue;
            var n = i + 1;
            var f = line.Split('\t');
            if (f.Length != 2)
                throw new InvalidDataException($"{source}, line {n}: {f.Length} tab-separated fields, expected 2 (value, phrase).");
            var value = f[0].Trim();
            var phrase = f[1].Trim();
            if (value.Length == 0) throw new InvalidDataException($"{source}, line {n}, field 'value': empty.");
            if (phrase.Length == 0) throw new InvalidDataException($"{source}, line {n}, field 'phrase': empty.");
            var k = PaperValues.IndexOf(value);
            if (k < 0)
                throw new InvalidDataException($"{source}, line {n}, field 'value': '{value}' is not one of the paper's {PaperValues.Count} values (MoralGap.Data.PaperValues.Names).");
            var entry = new LexiconEntry(PaperValues.Names[k], phrase, n);
            if (seen.TryGetValue(phrase, out var earlier))
                throw new InvalidDataException($"{source}, line {n}, field 'phrase': '{phrase}' already appears on line {earlier.Line} (value {earlier.Value}).");
            seen[phrase] = entry;
            entries.Add(entry);
        }
        if (entries.Count == 0) throw new InvalidDataException($"{source}: no phrasings after the header.");
        var few = entries.GroupBy(e => e.Value).Where(g => g.Count() < minPhrasesPerValue)
            .Select(g => $"{g.Key} ({g.Count()}, first on line {g.First().Line})").ToArray();
        if (few.Length > 0)
            throw new InvalidDataException($"{source}: fewer than {minPhrasesPerValue} phrasings for {string.Join("; ", few)}.");
        if (requireAllValues)
        {
            var missing = PaperValues.Names.Except(entries.Select(e => e.Value)).ToArray();
            if (missing.Length > 0)
                throw new InvalidDataException($"{source}: no phrasings for {missing.Length} of the paper's values: {string.Join(", ", missing)}.");
        }
        return new ValueLexicon(source, entries);
    }

    private static bool IsSkipped(string line) => line.Trim().Length == 0 || line.TrimStart().StartsWith('#');

    /// <inheritdoc/>
    public override string ToString() => $"ValueLexicon({Values.Count} values, {Entries.Count} phrasings, {Source})";
}
