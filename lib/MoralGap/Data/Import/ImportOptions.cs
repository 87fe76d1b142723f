namespace MoralGap.Data;

/// <summary>Column names of a vote-count CSV (defaults: the shared aita-2020-votes.csv).</summary>
/// <param name="Id">Post id column.</param>
/// <param name="Title">Title column.</param>
/// <param name="Text">Post text column.</param>
/// <param name="Yta">YTA vote count column.</param>
/// <param name="Nta">NTA vote count column.</param>
/// <param name="Esh">ESH vote count column.</param>
/// <param name="Nah">NAH vote count column.</param>
/// <param name="Total">Optional total column; when set, rows whose total differs from the sum are dropped and counted.</param>
public sealed record VotesCsvColumns(
    string Id = "post_id", string Title = "title", string Text = "text",
    string Yta = "n_yta", string Nta = "n_nta", string Esh = "n_esh", string Nah = "n_nah", string? Total = "n_total");

/// <summary>
/// Filters and mappings of the importers, in the spirit of the paper's Moral Dilemma Dataset (dilemmas with at least
/// 32 human judgments, subsampled to exactly 32; Russo et al., arXiv 2507.17216, §3). Values the paper does not state
/// (text bounds, bot list) are our choices.
/// </summary>
public sealed record ImportOptions
{
    /// <summary>Keep a dilemma only if it has at least this many human judgments with a binary verdict (paper: 32).</summary>
    public int MinJudgments { get; init; } = 32;
    /// <summary>When set, keep exactly this many human judgments per dilemma, chosen at random with <see cref="Seed"/> (paper: 32).</summary>
    public int? Subsample { get; init; }
    /// <summary>Seed of the subsampling (each dilemma's draw depends only on the seed and its id).</summary>
    public int Seed { get; init; }
    /// <summary>Minimum dilemma text length in characters, after trimming (shorter ones are dropped and counted).</summary>
    public int MinTextLength { get; init; } = 1;
    /// <summary>Maximum dilemma text length in characters (longer ones are dropped and counted). Reddit caps posts at 40,000.</summary>
    public int MaxTextLength { get; init; } = 40_000;
    /// <summary>Binary verdict of ESH ("everyone sucks here"); paper-spirit default UNACCEPTABLE; null drops ESH like INFO.</summary>
    public Verdict? EshMapping { get; init; } = Verdict.Unacceptable;
    /// <summary>Binary verdict of NAH ("no assholes here"); default ACCEPTABLE; null drops NAH like INFO.</summary>
    public Verdict? NahMapping { get; init; } = Verdict.Acceptable;
    /// <summary>Comment authors treated as bots (case-insensitive), their comments dropped and counted.</summary>
    public IReadOnlyList<string> BotAuthors { get; init; } = ["AutoModerator", "Judgement_Bot_AITA"];
    /// <summary>
    /// How a Reddit comment's verdict is read: <see cref="VerdictRule.Reference"/> (default; the Scruples extractor's
    /// rule, verdicts anywhere in the comment) or <see cref="VerdictRule.Start"/> (the comment must open with one).
    /// </summary>
    public VerdictRule VerdictRule { get; init; } = VerdictRule.Reference;
    /// <summary>Remove "Edit:" / "ETA:" / "Update:" parts from Reddit comment rationales (counted as a note).</summary>
    public bool StripEdits { get; init; } = true;
    /// <summary>
    /// When false (default), a malformed row stops the import with a <see cref="DataFormatException"/> naming file,
    /// line and field; when true it is dropped and counted as "malformed: …" with its location.
    /// </summary>
    public bool SkipMalformed { get; init; }
    /// <summary>Column names of the vote-count CSV.</summary>
    public VotesCsvColumns VotesColumns { get; init; } = new();
    /// <summary>Author name given to human judgments.</summary>
    public string HumanAuthor { get; init; } = DilemmaDataset.Human;

    /// <summary>The paper's filter: at least 32 human judgments, subsampled to exactly 32, seed 0.</summary>
    public static ImportOptions Paper { get; } = new() { MinJudgments = 32, Subsample = 32 };

    /// <summary>No minimum (1 judgment) and no subsampling: keep everything well-formed.</summary>
    public static ImportOptions KeepAll { get; } = new() { MinJudgments = 1 };

    internal void Validate()
    {
        if (MinJudgments < 1) throw new ArgumentOutOfRangeException(nameof(MinJudgments), MinJudgments, "MinJudgments must be at least 1.");
        if (Subsample is < 1) throw new ArgumentOutOfRangeException(nameof(Subsample), Subsample, "Subsample must be at least 1.");
        if (MinTextLength < 0 || MaxTextLength < MinTextLength)
            throw new ArgumentOutOfRangeException(nameof(MaxTextLength), $"Text bounds must satisfy 0 ≤ MinTextLength ({MinTextLength}) ≤ MaxTextLength ({MaxTextLength}).");
        ArgumentException.ThrowIfNullOrEmpty(HumanAuthor);
        ArgumentNullException.ThrowIfNull(BotAuthors);
        ArgumentNullException.ThrowIfNull(VotesColumns);
        if (!Enum.IsDefined(VerdictRule)) throw new ArgumentOutOfRangeException(nameof(VerdictRule), VerdictRule, "Unknown verdict rule.");
    }
}
