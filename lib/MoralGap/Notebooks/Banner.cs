using System.Net;

namespace MoralGap.Notebooks;

/// <summary>
/// A notice shown above any output built from simulated answers (the simulated judge, the offline extractor's
/// planted sample). It renders as a coloured box in HTML and as a boxed line in plain text, so no reader can take a
/// simulated number for a finding.
/// </summary>
/// <param name="Title">Short headline, e.g. "SIMULATED JUDGE".</param>
/// <param name="Message">One or two sentences saying what is simulated and how to get real answers.</param>
public sealed record Banner(string Title, string Message)
{
    /// <summary>The banner shown whenever answers of the simulated judge are on screen.</summary>
    public static Banner Simulated(string? what = null) => new(
        "SIMULATED ANSWERS",
        (what is null ? "" : what.TrimEnd('.') + ". ") +
        "These come from the seeded simulated judge, a teaching model fitted on the human data at hand, not from an LLM. " +
        "Set OPENAI_BASE_URL/OPENAI_API_KEY (or AZURE_OPENAI_ENDPOINT/AZURE_OPENAI_API_KEY) and MORALGAP_MODELS to rerun with real models.");

    /// <summary>An informational banner (not a warning).</summary>
    public static Banner Note(string title, string message) => new(title, message);

    /// <summary>HTML rendering: an amber box with the title in bold.</summary>
    public string ToHtml() =>
        "<div style=\"border:2px solid #d97706;background:#fffbeb;color:#78350f;padding:8px 12px;margin:4px 0;border-radius:4px\">" +
        $"<strong>⚠ {WebUtility.HtmlEncode(Title)}</strong> — {WebUtility.HtmlEncode(Message)}</div>";

    /// <summary>Plain-text rendering: <c>[!] TITLE — message</c>.</summary>
    public override string ToString() => $"[!] {Title} — {Message}";
}
