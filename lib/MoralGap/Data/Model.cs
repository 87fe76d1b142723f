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
/// <param name="SampleIndex">0-based index among this author's judgments of this dilemma.</param>
public sealed record Judgment(
    string DilemmaId,
    string Author,
    string RawLabel,
    Verdict? Verdict,
    string Rationale,
    int SampleIndex);
