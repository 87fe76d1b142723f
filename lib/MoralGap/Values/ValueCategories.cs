using System.Text.Json;
using MoralGap.Data;

namespace MoralGap.Values;

/// <summary>One category of a value taxonomy: its name, the values it groups, and example phrasings of them.</summary>
/// <param name="Name">The category (a paper value such as "Integrity", or a Schwartz category such as "Self-direction: thought").</param>
/// <param name="Values">The values grouped under it (for the project's lexicon: the category itself).</param>
/// <param name="Phrases">Example phrasings, in file order (for a ValueEval file: each value's name followed by its phrasings).</param>
/// <param name="PhrasesByValue">The phrasings grouped by value, parallel to <paramref name="Values"/> (for a ValueEval
/// file: the value's name and its phrasings); null means one group, <paramref name="Phrases"/>.</param>
public sealed record ValueCategory(string Name, IReadOnlyList<string> Values, IReadOnlyList<string> Phrases,
    IReadOnlyList<IReadOnlyList<string>>? PhrasesByValue = null)
{
    /// <summary>The phrasings grouped by value: <see cref="PhrasesByValue"/>, or all of <see cref="Phrases"/> as one group.</summary>
    public IReadOnlyList<IReadOnlyList<string>> ValueGroups => PhrasesByValue ?? [Phrases];

    /// <inheritdoc/>
    public override string ToString() => $"{Name} ({Values.Count} values, {Phrases.Count} phrasings)";
}

/// <summary>
/// A value taxonomy the extractors can match against: a list of categories, each with example phrasings. Two file
/// shapes are read (<see cref="Load"/>): the project's value lexicon (TSV <c>value\tphrase</c>, one category per paper
/// value, see <see cref="ValueLexicon"/>), and a ValueEval-style JSON object (Kiesel et al. 2022/2023, SemEval-2023
/// Task 4) mapping category → value → example phrasings, such as
/// <c>{"Self-direction: thought": {"Be creative": ["fostering creativity", …], …}, …}</c>.
/// </summary>
public sealed class ValueCategories
{
    private ValueCategories(string source, IReadOnlyList<ValueCategory> categories)
    {
        Source = source;
        Categories = categories;
        Names = categories.Select(c => c.Name).ToArray();
    }

    /// <summary>Where the taxonomy came from (a path or a description).</summary>
    public string Source { get; }

    /// <summary>The categories, in file order (for the lexicon: the order of <see cref="PaperValues.Names"/>).</summary>
    public IReadOnlyList<ValueCategory> Categories { get; }

    /// <summary>The category names, in order.</summary>
    public IReadOnlyList<string> Names { get; }

    /// <summary>Number of categories.</summary>
    public int Count => Categories.Count;

    /// <summary>
    /// Reads a taxonomy file: a <c>.json</c> file as ValueEval JSON (<see cref="ParseJson"/>), anything else as the
    /// project's lexicon TSV (<see cref="ValueLexicon.Load"/>).
    /// </summary>
    /// <exception cref="FileNotFoundException">No such file.</exception>
    /// <exception cref="DataFormatException">The file is malformed; the message names file, line and field.</exception>
    public static ValueCategories Load(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (!File.Exists(path)) throw new FileNotFoundException($"Taxonomy file not found: {path}", path);
        return path.EndsWith(".json", StringComparison.OrdinalIgnoreCase)
            ? ParseJson(File.ReadAllText(path), path)
            : FromLexicon(ValueLexicon.Load(path));
    }

    /// <summary>One category per lexicon value, with that value's phrasings.</summary>
    public static ValueCategories FromLexicon(ValueLexicon lexicon)
    {
        ArgumentNullException.ThrowIfNull(lexicon);
        return new ValueCategories(lexicon.Source, lexicon.Values.Select(v => new ValueCategory(v, [v], lexicon.PhrasesOf(v))).ToArray());
    }

    /// <summary>
    /// Parses ValueEval-style JSON: an object whose properties are categories, each an object whose properties are
    /// values, each an array of example phrasings (strings). A category's phrases are, for each value, its name
    /// followed by its phrasings (duplicates removed).
    /// </summary>
    /// <exception cref="DataFormatException">Not JSON, or not that shape, or an empty category; the message names the
    /// source, the line and the category or value at fault.</exception>
    public static ValueCategories ParseJson(string json, string source)
    {
        ArgumentNullException.ThrowIfNull(json);
        JsonDocument doc;
        try { doc = JsonDocument.Parse(json, new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip }); }
        catch (JsonException e) { throw new DataFormatException(source, (e.LineNumber ?? 0) + 1, null, "not valid JSON: " + e.Message, e); }
        using (doc)
        {
            long LineOf(string name) => LineOfProperty(json, name);
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
                throw new DataFormatException(source, 1, null, "expected a JSON object mapping category → value → phrasings.");
            var categories = new List<ValueCategory>();
            foreach (var category in doc.RootElement.EnumerateObject())
            {
                if (category.Value.ValueKind != JsonValueKind.Object)
                    throw new DataFormatException(source, LineOf(category.Name), category.Name, $"expected an object mapping values to phrasings, found {category.Value.ValueKind}.");
                if (string.IsNullOrWhiteSpace(category.Name)) throw new DataFormatException(source, LineOf(category.Name), category.Name, "empty category name.");
                var values = new List<string>();
                var phrases = new List<string>();
                var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
                var groups = new List<IReadOnlyList<string>>();
                foreach (var value in category.Value.EnumerateObject())
                {
                    if (value.Value.ValueKind != JsonValueKind.Array)
                        throw new DataFormatException(source, LineOf(value.Name), $"{category.Name} / {value.Name}", $"expected an array of phrasings, found {value.Value.ValueKind}.");
                    values.Add(value.Name);
                    var group = new List<string> { value.Name };
                    if (seen.Add(value.Name)) phrases.Add(value.Name);
                    foreach (var p in value.Value.EnumerateArray())
                    {
                        if (p.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(p.GetString()))
                            throw new DataFormatException(source, LineOf(value.Name), $"{category.Name} / {value.Name}", "every phrasing must be a non-empty string.");
                        var phrase = p.GetString()!.Trim();
                        if (!group.Contains(phrase, StringComparer.OrdinalIgnoreCase)) group.Add(phrase);
                        if (seen.Add(phrase)) phrases.Add(phrase);
                    }
                    groups.Add(group);
                }
                if (values.Count == 0) throw new DataFormatException(source, LineOf(category.Name), category.Name, "a category needs at least one value.");
                categories.Add(new ValueCategory(category.Name, values, phrases, groups));
            }
            if (categories.Count == 0) throw new DataFormatException(source, 1, null, "no categories.");
            return new ValueCategories(source, categories);
        }
    }

    // 1-based line of the first occurrence of "name": in the text (0 when not found); for error messages only.
    private static long LineOfProperty(string json, string name)
    {
        var at = json.IndexOf(JsonSerializer.Serialize(name) + ":", StringComparison.Ordinal);
        if (at < 0) at = json.IndexOf(JsonSerializer.Serialize(name), StringComparison.Ordinal);
        return at < 0 ? 0 : 1 + json.AsSpan(0, at).Count('\n');
    }

    /// <summary>The index of category <paramref name="name"/> (ordinal, case-insensitive), or −1.</summary>
    public int IndexOf(string name) => Array.FindIndex(Names.ToArray(), n => string.Equals(n, name, StringComparison.OrdinalIgnoreCase));

    /// <inheritdoc/>
    public override string ToString() => $"ValueCategories({Count} categories, {Categories.Sum(c => c.Phrases.Count)} phrasings, {Source})";
}
