namespace MoralGap.Data;

/// <summary>One phrasing of a value, as it could appear in a rationale clause.</summary>
/// <param name="Value">A value name of <see cref="PaperValues.Names"/>.</param>
/// <param name="Phrase">A natural clause expressing it (e.g. Integrity: "keeping your word").</param>
public sealed record ValuePhrase(string Value, string Phrase);

/// <summary>
/// The project's value-expression lexicon (<c>data/value-lexicon.tsv</c>, header <c>value\tphrase</c>): at least five
/// natural phrasings for each of the paper's 59 values, written for this project. The embedded sample composes its
/// rationales from these phrasings; the offline value extractor matches rationale clauses back to them.
/// </summary>
public static class ValueLexicon
{
    /// <summary>The lexicon's path inside the repository.</summary>
    public static string RelativePath { get; } = Path.Combine("data", "value-lexicon.tsv");

    /// <summary>Minimum number of phrasings per value that <see cref="Load"/> requires.</summary>
    public const int MinPhrasesPerValue = 5;

    /// <summary>
    /// Reads the lexicon (default: found above the current directory, see <see cref="DilemmaDataset.FindRepoFolder"/>).
    /// Checks: the header, a known value name on every line (<see cref="PaperValues"/>, case-insensitive, returned in
    /// canonical spelling), no empty or duplicate phrase, and at least <see cref="MinPhrasesPerValue"/> phrasings for every value.
    /// </summary>
    public static IReadOnlyList<ValuePhrase> Load(string? path = null)
    {
        path ??= DilemmaDataset.FindRepoFolder(RelativePath);
        var list = new List<ValuePhrase>();
        var seen = new Dictionary<string, long>(StringComparer.OrdinalIgnoreCase);
        var header = false;
        foreach (var (line, text) in JsonlStore.ReadLines(path))
        {
            var cols = text.Split('\t');
            if (!header)
            {
                if (cols.Length != 2 || cols[0].Trim() != "value" || cols[1].Trim() != "phrase")
                    throw new DataFormatException(path, line, null, "expected the header 'value<TAB>phrase'");
                header = true;
                continue;
            }
            if (cols.Length != 2) throw new DataFormatException(path, line, null, $"expected 2 tab-separated fields, found {cols.Length}");
            var i = PaperValues.IndexOf(cols[0]);
            if (i < 0) throw new DataFormatException(path, line, "value", $"'{cols[0]}' is not one of the paper's values");
            var phrase = cols[1].Trim();
            if (phrase.Length == 0) throw new DataFormatException(path, line, "phrase", "empty phrase");
            if (!seen.TryAdd(phrase, line)) throw new DataFormatException(path, line, "phrase", $"duplicate phrase (first on line {seen[phrase]})");
            list.Add(new ValuePhrase(PaperValues.Names[i], phrase));
        }
        if (!header) throw new DataFormatException(path, 0, null, "empty file");
        foreach (var v in PaperValues.Names)
        {
            var n = list.Count(p => p.Value == v);
            if (n < MinPhrasesPerValue)
                throw new DataFormatException(path, 0, "value", $"'{v}' has {n} phrasing(s); at least {MinPhrasesPerValue} are needed");
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
