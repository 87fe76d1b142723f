using System.Text.Json.Serialization;

namespace MoralGap.Data;

/// <summary>
/// A moral dilemma: a short first-person story whose main actor's behaviour people (and models) judge.
/// In the paper, an r/AmItheAsshole post rewritten so that the narrator becomes "the main actor".
/// </summary>
/// <param name="Id">Stable identifier, unique within a dataset.</param>
/// <param name="Title">Short title.</param>
/// <param name="Text">The full dilemma text.</param>
/// <param name="Source">Where it came from: <c>sample</c>, <c>votes-csv</c>, <c>scruples</c>, <c>reddit</c>, <c>paired</c>.</param>
/// <param name="Topic">Optional topic name (planted in the embedded sample; assigned later otherwise).</param>
public sealed record Dilemma(string Id, string Title, string Text, string Source, string? Topic = null);

/// <summary>The binary verdict of the paper: is the main actor's behaviour acceptable?</summary>
public enum Verdict
{
    /// <summary>NTA / NAH, or an LLM's ACCEPTABLE.</summary>
    Acceptable = 0,
    /// <summary>YTA / ESH, or an LLM's UNACCEPTABLE.</summary>
    Unacceptable = 1,
}

/// <summary>
/// One judgment of one dilemma by one author (a human, or one sample of a model).
/// </summary>
/// <param name="DilemmaId">The judged dilemma's <see cref="Dilemma.Id"/>.</param>
/// <param name="Author"><c>human</c> for people, otherwise the model id (e.g. <c>gpt-4o</c>, <c>simulated-judge</c>).</param>
/// <param name="RawLabel">The label as given: YTA, NTA, ESH, NAH, INFO, ACCEPTABLE, UNACCEPTABLE, …</param>
/// <param name="Verdict">The binary verdict, or <c>null</c> when the raw label has none (INFO, a refusal).</param>
/// <param name="Rationale">Free-text reason, possibly empty.</param>
/// <param name="SampleIndex">0-based index among this author's judgments of this dilemma (within its condition).</param>
/// <param name="Condition">
/// The prompting condition of a model's answer, in the study's own words (e.g. <c>vanilla</c> for the plain judgment
/// prompt, <c>dmp_empirical</c> for a DMP profile, <c>elicit</c> for a stated share); <c>null</c> for people and for
/// files written before schema version 2 (read as the plain prompt).
/// </param>
/// <param name="Share">
/// A stated share in [0, 1] ("what share of people would find this unacceptable?"): a different kind of answer from a
/// verdict, so <paramref name="Verdict"/> is then <c>null</c> and <paramref name="RawLabel"/> is <see cref="ShareLabel"/>.
/// A share answer that could not be read has <see cref="ShareLabel"/> and a <c>null</c> share.
/// </param>
public sealed record Judgment(
    string DilemmaId,
    string Author,
    string RawLabel,
    Verdict? Verdict,
    string Rationale,
    int SampleIndex,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Condition = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double? Share = null)
{
    /// <summary>The <see cref="RawLabel"/> of a stated-share answer (read or not).</summary>
    public const string ShareLabel = "SHARE";

    /// <summary>The <see cref="RawLabel"/> of a recorded verdict answer that could not be read (a <c>null</c> in a study's log).</summary>
    public const string UnreadableLabel = "UNREADABLE";

    /// <summary>The condition of the plain judgment prompt (what <see cref="Condition"/> = <c>null</c> means for a model).</summary>
    public const string Vanilla = "vanilla";

    /// <summary>True for a stated-share answer (<see cref="Share"/> set, or <see cref="RawLabel"/> = <see cref="ShareLabel"/>).</summary>
    [JsonIgnore]
    public bool IsShare => Share is not null || RawLabel == ShareLabel;

    /// <summary>The condition, with <c>null</c> read as <see cref="Vanilla"/>.</summary>
    [JsonIgnore]
    public string ConditionOrVanilla => Condition ?? Vanilla;
}
