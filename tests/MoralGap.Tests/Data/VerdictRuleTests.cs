using MoralGap.Data;

namespace MoralGap.Tests.Data;

/// <summary>
/// The Scruples reference rule for reading a verdict from a Reddit comment (<see cref="ScruplesVerdictRule"/>) and the
/// Reddit importer's <see cref="ImportOptions.VerdictRule"/>.
/// </summary>
public class VerdictRuleTests
{
    private static string? Label(string text) => ScruplesVerdictRule.Read(text).Label;

    [Theory]
    [InlineData("YTA", "YTA")] [InlineData("YTAH", "YTA")]
    [InlineData("NTA", "NTA")] [InlineData("YNTA", "NTA")] [InlineData("NTAH", "NTA")] [InlineData("YNTAH", "NTA")]
    [InlineData("ESH", "ESH")] [InlineData("NAH", "NAH")] [InlineData("NAHH", "NAH")] [InlineData("INFO", "INFO")]
    [InlineData("YWBTA", "YTA")] [InlineData("YWNBTA", "NTA")]
    public void EveryAcronymIsReadAnywhereAndInAnyCase(string acronym, string label)
    {
        foreach (var form in new[] { acronym, acronym.ToLowerInvariant(), acronym[..1] + acronym[1..].ToLowerInvariant() })
            foreach (var text in new[] { form, $"Honestly, {form}.", $"I'd say **{form}**, she was rude.", $"…{form}" })
            {
                var r = ScruplesVerdictRule.Read(text);
                Assert.Equal(label, r.Label);
                Assert.Equal(VerdictResolution.OneLabel, r.Resolution);
            }
    }

    [Theory]
    [InlineData("NTAA, she was rude")]     // one extra letter: acronyms get no error
    [InlineData("NT, she was rude")]
    [InlineData("YAT you were wrong")]
    [InlineData("ESHH both were wrong")]
    [InlineData("Mental health matters; rental costs too.")] // nta inside words
    [InlineData("More information please, it's fresh.")]    // info, esh inside words
    [InlineData("NTA_ for sure")]                            // underscore is a word character
    [InlineData("AITA for refusing to lend my car? Honestly I can see both sides.")] // the title quoted
    [InlineData("WIBTA if I skipped the wedding? Tough one.")]
    [InlineData("Very surprising!")]
    [InlineData("")]
    public void TextWithoutAWholeWordAcronymOrPhraseHasNoVerdict(string text)
    {
        var r = ScruplesVerdictRule.Read(text);
        Assert.Null(r.Label);
        Assert.Equal(VerdictResolution.None, r.Resolution);
    }

    [Theory]
    [InlineData("you asshole", "YTA")]
    [InlineData("Honestly you're the asshole here.", "YTA")]
    [InlineData("your a huge asshole lol", "YTA")]
    [InlineData("You are kind of an a-hole for that.", "YTA")]
    [InlineData("you're sort of the giant ahole", "YTA")]
    [InlineData("you really are a big asshole", "YTA")]
    [InlineData("you just are the asshole", "YTA")]
    [InlineData("You indeed are an ahole.", "YTA")]
    [InlineData("You're not the asshole, she is.", "NTA")]
    [InlineData("not really an a-hole", "NTA")]
    [InlineData("Not asshole at all", "NTA")]
    [InlineData("Everyone sucks here.", "ESH")]
    [InlineData("everybody sucks here tbh", "ESH")]
    [InlineData("Honestly you both suck.", "ESH")]
    [InlineData("No assholes here, just a mess.", "NAH")]
    [InlineData("no a-holes here", "NAH")]
    [InlineData("No one is the asshole.", "NAH")]
    [InlineData("Not enough info to say.", "INFO")]
    [InlineData("I need more info.", "INFO")]
    [InlineData("Needs more info", "INFO")]
    [InlineData("More info required.", "INFO")]
    [InlineData("more info's required", "INFO")]
    [InlineData("More info is required.", "INFO")]
    public void EveryPhraseFormIsRead(string text, string label) => Assert.Equal(label, Label(text));

    [Theory]
    [InlineData("you're the assole", "YTA")]       // deletion
    [InlineData("yoy are an asshole", "YTA")]      // substitution
    [InlineData("you're the asshhole", "YTA")]     // insertion
    [InlineData("not the ashole", "NTA")]
    [InlineData("everyone suks here", "ESH")]
    [InlineData("Everyone sucks her.", "ESH")]
    [InlineData("no assholes her", "NAH")]
    [InlineData("We have not enogh information.", "INFO")] // no word boundary needed after a phrase
    [InlineData("need mor infos", "INFO")]
    public void APhraseWithOneCharacterOfErrorIsRead(string text, string label) => Assert.Equal(label, Label(text));

    [Theory]
    [InlineData("evreyone sucks here")]   // a transposition is two edits
    [InlineData("no asshloes here")]
    [InlineData("eveyrone suks here")]
    [InlineData("yuo are teh asshole")]
    public void APhraseWithTwoErrorsIsNotRead(string text) => Assert.Null(Label(text));

    [Fact]
    public void EveryExactFormAndEveryOneEditVariantOfItIsRead()
    {
        // Every exact phrase form, and every single deletion, substitution and insertion of it (with 'x', '#' and
        // space), embedded in text: the anchor prefilter must never hide a form the rule accepts.
        var checkedForms = 0;
        foreach (var set in ScruplesVerdictRule.Phrases)
            foreach (var form in set.Patterns.SelectMany(p => p.Forms()).Distinct())
            {
                var variants = new List<string> { form };
                for (var i = 0; i < form.Length; i++)
                {
                    variants.Add(form.Remove(i, 1));
                    foreach (var c in "x# ")
                    {
                        variants.Add(form[..i] + c + form[(i + 1)..]);
                        if (i > 0) variants.Add(form[..i] + c + form[i..]);
                    }
                }
                foreach (var v in variants)
                {
                    var found = ScruplesVerdictRule.Read("Well. " + v + ". Bye").Found;
                    Assert.True(found.Any(f => f.Label == set.Label), $"{set.Label}: '{v}' (from '{form}') not found");
                }
                checkedForms++;
            }
        Assert.Equal(1_431, checkedForms); // 1,440 YTA forms less 48 the two YTA patterns share, 24 NTA, 3 ESH, 6 NAH, 6 INFO
    }

    [Fact]
    public void PhraseAnchorsCoverEveryForm()
    {
        // Pigeonhole: one edit leaves one of two halves intact, so it suffices that every exact form splits into two
        // parts that each contain an anchor word.
        foreach (var set in ScruplesVerdictRule.Phrases)
            foreach (var form in set.Patterns.SelectMany(p => p.Forms()))
                Assert.True(Enumerable.Range(1, form.Length - 1).Any(k =>
                        set.Anchors.Any(a => form[..k].Contains(a, StringComparison.OrdinalIgnoreCase)) &&
                        set.Anchors.Any(a => form[k..].Contains(a, StringComparison.OrdinalIgnoreCase))),
                    $"{set.Label}: no split of '{form}' has an anchor on both sides");
    }

    [Theory]
    [InlineData("NTA but honestly YTA for the yelling.", "YTA")]
    [InlineData("YTA, however NTA for leaving.", "NTA")]
    [InlineData("ESH although NAH really.", "NAH")]
    [InlineData("NTA yet YTA.", "YTA")]
    [InlineData("NTA butt YTA.", "YTA")]          // one character of error in the contradiction word
    [InlineData("NTA, bot YTA.", "YTA")]
    [InlineData("YTA. howevr, NTA.", "NTA")]
    public void AContradictionWordBetweenTheFirstTwoLabelsPicksTheSecond(string text, string label)
    {
        var r = ScruplesVerdictRule.Read(text);
        Assert.Equal(label, r.Label);
        Assert.Equal(VerdictResolution.ContradictionSecond, r.Resolution);
    }

    [Theory]
    [InlineData("NTA. YTA would be harsh.", "NTA")]
    [InlineData("NTA, bxtt YTA.", "NTA")]          // two errors: not a contradiction word
    [InlineData("YTA. Some say NTA but no.", "YTA")] // the contradiction is after the second label
    [InlineData("NTA and YTA and ESH but NAH", "NTA")] // only the first two count
    public void WithoutAContradictionWordTheFirstLabelWins(string text, string label)
    {
        var r = ScruplesVerdictRule.Read(text);
        Assert.Equal(label, r.Label);
        Assert.Equal(VerdictResolution.NoContradictionFirst, r.Resolution);
    }

    [Fact]
    public void OverlappingSpansPickTheFirst()
    {
        // "not assholes here" is NTA ("not asshole" + one inserted s) and NAH ("no assholes here" + one inserted t),
        // both from the first character: the tie goes to NTA (the reference's order) and its span overlaps NAH's.
        var r = ScruplesVerdictRule.Read("not assholes here");
        Assert.Equal(["NTA", "NAH"], r.Found.Select(f => f.Label));
        Assert.Equal("NTA", r.Label);
        Assert.Equal(VerdictResolution.OverlapFirst, r.Resolution);
    }

    [Theory]
    [InlineData("NTA, but", true)]
    [InlineData("however", true)]
    [InlineData("altough", true)]
    [InlineData(", yet ", true)]
    [InlineData("ye", true)]
    [InlineData("butter", false)]
    [InlineData("rebut", false)]
    [InlineData("and", false)]
    public void ContradictionWordsAreWholeWordsWithOneCharacterOfError(string between, bool expected) =>
        Assert.Equal(expected, ScruplesVerdictRule.HasContradiction(between));

    [Theory]
    [InlineData("OP, YTA.")]
    [InlineData("This. NTA, she spent the money.")]
    [InlineData("a gentle YTA")]
    [InlineData("You should have asked first. Yta")]
    public void VerdictsAfterTheStartAreReadByTheReferenceRuleOnly(string body)
    {
        Assert.True(AitaLabels.TryReadComment(body, VerdictRule.Reference, out _, out var rationale, out _, out _));
        Assert.Equal(body.Trim(), rationale); // mid-text verdicts stay in the rationale
        Assert.False(AitaLabels.TryReadComment(body, VerdictRule.Start, out _, out _, out _, out _));
    }

    [Theory]
    [InlineData("NTA. She owes you.\n\nEdit: typo", "NTA", "She owes you.")]
    [InlineData("**YTA** - you read her diary.", "YTA", "you read her diary.")]
    [InlineData("Nah, you're fine, but talk to him.", "NAH", "you're fine, but talk to him.")]
    public void TheRationaleDropsTheOpeningTokenAndEdits(string body, string label, string rationale)
    {
        Assert.True(AitaLabels.TryReadComment(body, VerdictRule.Reference, out var l, out var r, out _, out _));
        Assert.Equal(label, l);
        Assert.Equal(rationale, r);
    }

    private const string Post = """{"id":"p1","title":"AITA for not going to my sister's party?","selftext":"My sister threw a party on a work night and I stayed home.","author":"op"}""";

    private static string Comment(string id, string body, string author = "u") =>
        System.Text.Json.JsonSerializer.Serialize(new { id, link_id = "t3_p1", parent_id = "t3_p1", body, author });

    [Fact]
    public void TheScruplesFixturePostGivesAuthorOneAndOtherTwo()
    {
        // The case of the Scruples repository's own tests: four comments and an AutoModerator copy of the post.
        using var f = new Fixture();
        var subs = f.Write("RS.jsonl", Post + "\n");
        var coms = f.Write("RC.jsonl", string.Join("\n",
            Comment("c1", "NTA, definitely nta."),
            Comment("c2", "I think YTA."),
            Comment("c3", "I'm gonna have to go with NTA on this one."),
            Comment("c4", "Very surprising!"),
            Comment("c5", "AITA for not going to my sister's party?\n\nMy sister threw a party on a work night and I stayed home.", "AutoModerator")) + "\n");
        var r = Importers.Import("reddit", [subs, coms], ImportOptions.KeepAll);
        Assert.Equal(1, r.Judgments.Count(j => j.RawLabel == "YTA"));
        Assert.Equal(2, r.Judgments.Count(j => j.RawLabel == "NTA"));
        Assert.Equal(3, r.Judgments.Count);
        Assert.Equal(1, r.Report.Dropped("no verdict found"));
        Assert.Equal(1, r.Report.Dropped("bot author"));
        Assert.True(r.Report.IsBalanced, r.Report.ToString());
        Assert.Contains("verdicts read by the reference rule", r.Report.ToString());

        // The start rule keeps only the comment that opens with its verdict.
        var start = Importers.Import("reddit", [subs, coms], ImportOptions.KeepAll with { VerdictRule = VerdictRule.Start });
        Assert.Equal(["NTA"], start.Judgments.Select(j => j.RawLabel));
        Assert.Equal(3, start.Report.Dropped("no verdict at the start"));
        Assert.Contains("verdicts read by the start rule", start.Report.ToString());
    }

    [Fact]
    public void TheReportCountsCommentsWithSeveralLabelsByThePartOfTheRuleThatResolvedThem()
    {
        using var f = new Fixture();
        var subs = f.Write("RS.jsonl", Post + "\n");
        var coms = f.Write("RC.jsonl", string.Join("\n",
            Comment("c1", "NTA but honestly YTA for the yelling."),
            Comment("c2", "NTA. YTA would be harsh."),
            Comment("c3", "NTA, some would say ESH."),
            Comment("c4", "not assholes here"),
            Comment("c5", "YTA."),
            Comment("c6", "INFO, and NTA if she knew.")) + "\n");
        var r = Importers.Import("reddit", [subs, coms], ImportOptions.KeepAll);
        var notes = r.Report.Notes;
        Assert.Equal(1, notes[AitaLabels.SeveralLabelsNote(VerdictResolution.ContradictionSecond)!]);
        Assert.Equal(3, notes[AitaLabels.SeveralLabelsNote(VerdictResolution.NoContradictionFirst)!]);
        Assert.Equal(1, notes[AitaLabels.SeveralLabelsNote(VerdictResolution.OverlapFirst)!]);
        Assert.Equal(["YTA", "NTA", "NTA", "NTA", "YTA"], r.Judgments.Select(j => j.RawLabel));
        Assert.Equal(1, r.Report.Dropped("INFO (no binary verdict)"));
        Assert.True(r.Report.IsBalanced, r.Report.ToString());
        Assert.Contains("several labels", r.Report.ToString());
    }

    [Fact]
    public void RuleNamesParseAndUnknownOnesSayWhatToUse()
    {
        Assert.Equal(VerdictRule.Reference, AitaLabels.ParseRule("Reference"));
        Assert.Equal(VerdictRule.Start, AitaLabels.ParseRule("start"));
        var e = Assert.Throws<ArgumentException>(() => AitaLabels.ParseRule("opening"));
        Assert.Contains("use reference", e.Message);
        Assert.Equal(VerdictRule.Reference, new ImportOptions().VerdictRule);
    }
}
