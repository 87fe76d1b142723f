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
    /// Reads a lexicon file with the project's one lexicon reader (<see cref="Data.ValueLexicon.Load"/>). Value names are
    /// matched to <see cref="PaperValues.Names"/> case-insensitively and stored in the paper's spelling.
    /// </summary>
    /// <param name="path">The TSV file.</param>
    /// <param name="minPhrasesPerValue">Each value present must have at least this many phrasings (default 5).</param>
    /// <param name="requireAllValues">When true, every one of the paper's 59 values must be present.</param>
    /// <exception cref="FileNotFoundException">No such file.</exception>
    /// <exception cref="DataFormatException">A bad header, a line without exactly two fields, an empty field, an
    /// unknown value name, a phrase listed twice, or a value with too few phrasings; the message names file, line and field.</exception>
    public static ValueLexicon Load(string path, int minPhrasesPerValue = DefaultMinPhrasesPerValue, bool requireAllValues = false)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        return From(Data.ValueLexicon.Load(path, minPhrasesPerValue, requireAllValues), path);
    }

    /// <summary>Parses lexicon lines (see <see cref="Load"/> and <see cref="Data.ValueLexicon.Parse(IReadOnlyList{string}, string, int, bool)"/>); <paramref name="source"/> names them in error messages.</summary>
    public static ValueLexicon Parse(IReadOnlyList<string> lines, string source, int minPhrasesPerValue = DefaultMinPhrasesPerValue, bool requireAllValues = false) =>
        From(Data.ValueLexicon.Parse(lines, source, minPhrasesPerValue, requireAllValues), source);

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
        var added = Data.ValueLexicon.Load(path, minPhrasesPerValue: 1, requireAllValues: false);
        var known = new HashSet<string>(Entries.Select(e => e.Phrase), StringComparer.OrdinalIgnoreCase);
        foreach (var p in added)
            if (known.Contains(p.Phrase)) throw new DataFormatException(path, p.Line, "phrase", $"'{p.Phrase}' is already in {Source}");
        return new ValueLexicon($"{Source} + {path}", [.. Entries, .. added.Select(p => new LexiconEntry(p.Value, p.Phrase, (int)p.Line))]);
    }

    private static ValueLexicon From(IReadOnlyList<ValuePhrase> phrases, string source) =>
        new(source, phrases.Select(p => new LexiconEntry(p.Value, p.Phrase, (int)p.Line)).ToList());

    /// <inheritdoc/>
    public override string ToString() => $"ValueLexicon({Values.Count} values, {Entries.Count} phrasings, {Source})";
}
