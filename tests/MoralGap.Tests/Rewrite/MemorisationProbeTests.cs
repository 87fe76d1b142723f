using MoralGap.Data;
using MoralGap.Rewrite;

namespace MoralGap.Tests.Rewrite;

/// <summary>The memorisation probe's flag rule on recalled and novel answers.</summary>
public class MemorisationProbeTests
{
    // 40 words: the probe shows the first 20 and keeps the other 20 unseen.
    private const string Post =
        "My neighbour parks his van across my driveway every Sunday morning while he washes it in the street. " +
        "Last week I called a tow truck instead of knocking on his door, and he had to pay two hundred dollars to get it back.";

    private static string Unseen => MemorisationProbe.SplitText(Post).Unseen;

    [Fact]
    public void The_probe_shows_the_opening_and_keeps_the_rest_unseen()
    {
        var (shown, unseen) = MemorisationProbe.SplitText(Post);
        Assert.Equal(Post, shown + unseen);
        Assert.StartsWith("My neighbour parks", shown);
        Assert.Contains("tow truck", unseen);
        var prompt = MemorisationProbe.BuildPrompt(new Dilemma("p", "AITA for having a van towed?", Post, "test"));
        Assert.Contains(shown.Trim(), prompt);
        Assert.DoesNotContain("tow truck", prompt);
    }

    [Theory]
    [InlineData("KNOWN\nVerdict: NTA\nContinuation: I don't remember the rest.", "verdict (NTA)")]
    [InlineData("KNOWN\nContinuation: The neighbour later apologised and they became friends over a barbecue.", "continues it")]
    [InlineData("UNKNOWN\nBut it might go: last week I called a tow truck instead of knocking on his door.", "repeats")]
    [InlineData("Known.\nVerdict: yta", "verdict (YTA)")]
    public void Recalled_answers_are_flagged(string answer, string reason)
    {
        var read = MemorisationProbe.Read(0, answer, Post);
        Assert.True(read.Recall);
        Assert.Contains(reason, read.Reason);
        Assert.True(new ProbeResult([MemorisationProbe.Read(0, "UNKNOWN", Post), read]).Flagged); // one answer is enough
    }

    [Theory]
    [InlineData("UNKNOWN")]
    [InlineData("UNKNOWN. I have not seen this post.")]
    [InlineData("KNOWN")]                                  // a bare claim with nothing behind it
    [InlineData("KNOWN\nContinuation: he was angry.")]     // too short to back the claim
    [InlineData("UNKNOWN\nIt sounds like a dispute about a van and a tow truck.")] // topical words, no verbatim run
    public void Novel_answers_are_not_flagged(string answer)
    {
        var read = MemorisationProbe.Read(0, answer, Post);
        Assert.False(read.Recall, read.Reason);
        Assert.Null(read.Reason);
        Assert.False(new ProbeResult([read, read, read]).Flagged);
    }

    [Fact]
    public void Verbatim_recall_counts_runs_of_consecutive_words_only_in_the_unseen_part()
    {
        // Eight words of the shown opening do not count: the model was given them.
        var echo = MemorisationProbe.Read(0, "UNKNOWN: my neighbour parks his van across my driveway every Sunday", Post);
        Assert.False(echo.Recall);
        var seven = string.Join(' ', Unseen.Split(' ', StringSplitOptions.RemoveEmptyEntries).Take(7));
        var eight = string.Join(' ', Unseen.Split(' ', StringSplitOptions.RemoveEmptyEntries).Take(8));
        Assert.Equal(7, MemorisationProbe.Read(0, "UNKNOWN " + seven, Post).VerbatimWords);
        Assert.False(MemorisationProbe.Read(0, "UNKNOWN " + seven, Post).Recall);
        Assert.True(MemorisationProbe.Read(0, "UNKNOWN " + eight, Post).Recall);
    }
}
