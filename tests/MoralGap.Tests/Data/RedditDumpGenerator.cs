using System.Text;
using System.Text.Json;

namespace MoralGap.Tests.Data;

/// <summary>
/// Writes a synthetic Reddit dump in the shape of the Pushshift r/AmItheAsshole archives (submissions JSONL and
/// comments JSONL with the archive's fields), for importer tests and the import benchmark (this file is linked into
/// tests/MoralGap.Bench). Seeded and deterministic. Comments are interleaved across submissions, which have skewed
/// popularity (a few get thousands of comments, many fewer than 32), with replies, AutoModerator, [deleted] and
/// [removed] bodies, comments without an opening verdict, INFO, "Edit:" tails, non-ASCII text and duplicate lines.
/// The returned <see cref="Truth"/> says what an importer must keep, computed while writing (not by the importer).
/// </summary>
internal static class RedditDumpGenerator
{
    /// <summary>What was written and what a KeepAll import must keep.</summary>
    /// <param name="Submissions">Submission lines.</param>
    /// <param name="Comments">Comment lines (duplicates included).</param>
    /// <param name="Kept">Per submission id (removed ones absent): top-level verdict comments with a binary verdict, duplicates not counted.</param>
    /// <param name="Bytes">Total bytes of both files.</param>
    internal sealed record Truth(int Submissions, long Comments, Dictionary<string, int> Kept, long Bytes);

    private static readonly string[] Words =
        ("you your she he they family friend sister brother mother father wedding money rent car dog party birthday " +
         "promise boundary apologize honest rude fair kind respect privacy trust space time work job school kids " +
         "should shouldn't never always really just think feel because but and or so if then when while although " +
         "café naïve 🙂 resume sorry overreacted communication expectations responsibility selfish entitled").Split(' ');

    private static readonly (string Label, double P)[] Verdicts =
        [("YTA", 0.25), ("NTA", 0.55), ("ESH", 0.08), ("NAH", 0.07), ("INFO", 0.05)];

    /// <summary>Writes about <paramref name="targetBytes"/> bytes of comments (plus submissions) and returns the truth.</summary>
    public static Truth Write(string submissionsPath, string commentsPath, long targetBytes, int seed = 1, double commentsPerSubmission = 250)
    {
        var rng = new Random(seed);
        const double averageCommentBytes = 620; // measured on this generator's output
        var nSub = Math.Max(4, (int)(targetBytes / averageCommentBytes / commentsPerSubmission));
        var ids = new string[nSub];
        var removed = new bool[nSub];
        var kept = new Dictionary<string, int>(StringComparer.Ordinal);
        var w = new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

        using (var fs = new FileStream(submissionsPath, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20))
        {
            for (var i = 0; i < nSub; i++)
            {
                ids[i] = Base36(1_000_000_000L + i * 7919L);
                removed[i] = rng.NextDouble() < 0.01;
                if (!removed[i]) kept[ids[i]] = 0;
                using (var j = new Utf8JsonWriter(fs, w))
                {
                    j.WriteStartObject();
                    j.WriteString("author", "poster" + rng.Next(1_000_000));
                    j.WriteNumber("created_utc", 1_590_000_000L + i * 60L);
                    j.WriteString("id", ids[i]);
                    j.WriteNumber("num_comments", 0);
                    j.WriteString("permalink", $"/r/AmItheAsshole/comments/{ids[i]}/aita/");
                    j.WriteNumber("score", rng.Next(5000));
                    j.WriteString("selftext", removed[i] ? "[removed]" : Sentence(rng, 150 + rng.Next(600)));
                    j.WriteString("subreddit", "AmItheAsshole");
                    j.WriteString("title", "AITA for " + Sentence(rng, 8 + rng.Next(10)));
                    j.WriteEndObject();
                }
                fs.WriteByte((byte)'\n');
            }
        }

        // Skewed popularity: submission index = floor(nSub · u^3), so low indices get most comments.
        long comments = 0, written = 0, next = 2_000_000_000L;
        var topLevel = new List<string>();
        byte[]? lastLine = null;
        using (var fs = new FileStream(commentsPath, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20))
        {
            var line = new MemoryStream();
            for (var i = 0; i < nSub; i++) // one AutoModerator sticky per submission
            {
                WriteComment(line, w, Base36(next++), ids[i], "t3_" + ids[i], "AutoModerator",
                    "Welcome to /r/AmItheAsshole. Please view our voting guide here, and remember to use only one judgement in your comment.", rng, sticky: true);
                written += Flush(line, fs, ref lastLine);
                comments++;
            }
            while (written < targetBytes)
            {
                if (lastLine is not null && rng.NextDouble() < 0.001) // an exact duplicate line (archives overlap)
                {
                    fs.Write(lastLine);
                    written += lastLine.Length;
                    comments++;
                    continue;
                }
                var s = (int)(nSub * Math.Pow(rng.NextDouble(), 3));
                var sid = ids[s];
                var id = Base36(next++);
                var u = rng.NextDouble();
                string parent = "t3_" + sid, author = "user" + rng.Next(5_000_000), body;
                var keep = false;
                if (u < 0.40) { parent = "t1_" + (topLevel.Count > 0 ? topLevel[rng.Next(topLevel.Count)] : id); body = Sentence(rng, 5 + rng.Next(40)); if (rng.Next(2) == 0) body = "NTA " + body; }
                else if (u < 0.43) { body = "[deleted]"; author = "[deleted]"; }
                else if (u < 0.45) body = "[removed]";
                else if (u < 0.57) body = "Honestly " + Sentence(rng, 10 + rng.Next(60));
                else
                {
                    var label = Pick(rng);
                    body = Opening(rng, label) + Sentence(rng, 10 + rng.Next(90)) + (rng.NextDouble() < 0.05 ? "\n\nEdit: thanks for the award, kind stranger!" : "");
                    keep = label != "INFO";
                    topLevel.Add(id);
                    if (topLevel.Count > 4096) topLevel.RemoveAt(rng.Next(topLevel.Count));
                }
                if (keep && !removed[s]) kept[sid]++;
                WriteComment(line, w, id, sid, parent, author, body, rng, sticky: false);
                written += Flush(line, fs, ref lastLine);
                comments++;
            }
        }
        return new Truth(nSub, comments, kept, new FileInfo(submissionsPath).Length + written);
    }

    private static void WriteComment(MemoryStream line, JsonWriterOptions o, string id, string sid, string parent, string author, string body, Random rng, bool sticky)
    {
        using var j = new Utf8JsonWriter(line, o);
        j.WriteStartObject();
        j.WriteStartArray("all_awardings"); j.WriteEndArray();
        j.WriteString("author", author);
        j.WriteNull("author_flair_text");
        j.WriteString("body", body);
        j.WriteNumber("controversiality", 0);
        j.WriteNumber("created_utc", 1_590_000_000L + rng.Next(10_000_000));
        if (sticky) j.WriteString("distinguished", "moderator"); else j.WriteNull("distinguished");
        j.WriteBoolean("edited", false);
        j.WriteNumber("gilded", 0);
        j.WriteString("id", id);
        j.WriteBoolean("is_submitter", false);
        j.WriteString("link_id", "t3_" + sid);
        j.WriteString("parent_id", parent);
        j.WriteString("permalink", $"/r/AmItheAsshole/comments/{sid}/_/{id}/");
        j.WriteNumber("retrieved_on", 1_600_000_000L);
        j.WriteNumber("score", rng.Next(-5, 2000));
        j.WriteBoolean("stickied", sticky);
        j.WriteString("subreddit", "AmItheAsshole");
        j.WriteString("subreddit_id", "t5_2xhvq");
        j.WriteNumber("total_awards_received", 0);
        j.WriteEndObject();
    }

    private static int Flush(MemoryStream line, FileStream fs, ref byte[]? last)
    {
        line.WriteByte((byte)'\n');
        last = line.ToArray();
        fs.Write(last);
        line.SetLength(0);
        return last.Length;
    }

    private static string Opening(Random rng, string label) => rng.Next(4) switch
    {
        0 => label + ". ",
        1 => "**" + label + "** ",
        2 => label.ToLowerInvariant() + ", ",
        _ => label + "\n\n",
    };

    private static string Pick(Random rng)
    {
        var u = rng.NextDouble();
        foreach (var (label, p) in Verdicts) { if (u < p) return label; u -= p; }
        return "NTA";
    }

    private static string Sentence(Random rng, int words)
    {
        var sb = new StringBuilder();
        for (var i = 0; i < words; i++) { if (i > 0) sb.Append(' '); sb.Append(Words[rng.Next(Words.Length)]); }
        return sb.Append('.').ToString();
    }

    private static string Base36(long v)
    {
        const string digits = "0123456789abcdefghijklmnopqrstuvwxyz";
        var sb = new StringBuilder();
        do { sb.Insert(0, digits[(int)(v % 36)]); v /= 36; } while (v > 0);
        return sb.ToString();
    }
}
