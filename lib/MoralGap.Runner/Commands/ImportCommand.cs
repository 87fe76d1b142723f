using System.CommandLine;
using MoralGap.Data;
using MoralGap.Notebooks;

namespace MoralGap.Runner.Commands;

/// <summary>
/// <c>import --format &lt;votes-csv|scruples|scruples-votes|reddit|paired&gt; INPUT... --out DIR [--min-judgments N] [--subsample K] [--seed S] [--verdict-rule reference|start]</c>:
/// imports real AITA data into a dataset folder (dilemmas.jsonl, judgments.jsonl, manifest.json) and prints the filter report.
/// Streams (<see cref="Importers.ImportTo"/>): memory stays flat for multi-GB Reddit dumps; progress goes to stderr.
/// </summary>
public static class ImportCommand
{
    /// <summary>The <c>import</c> verb.</summary>
    public static Command Create()
    {
        var format = new Option<string>("--format", "-f")
        {
            Description = "Input format: votes-csv, scruples, scruples-votes (vote counts without text), reddit (submissions file first, then comments files) or paired. JSONL inputs (scruples, reddit) may be .zst or .gz compressed",
            Required = true,
        };
        format.AcceptOnlyFromAmong("votes-csv", "scruples", "scruples-votes", "reddit", "paired");
        var inputs = new Argument<string[]>("INPUT") { Description = "Input files", Arity = ArgumentArity.OneOrMore };
        var output = new Option<string>("--out", "-o") { Description = "Dataset folder to write", Required = true };
        var min = new Option<int>("--min-judgments") { Description = "Keep dilemmas with at least N human judgments (paper: 32)", DefaultValueFactory = _ => 32 };
        var subsample = new Option<int?>("--subsample") { Description = "Keep exactly K human judgments per dilemma, chosen at random (paper: 32)" };
        var seed = new Option<int>("--seed") { Description = "Seed of the subsampling", DefaultValueFactory = _ => 0 };
        var maxText = new Option<int>("--max-text") { Description = "Drop dilemmas longer than this many characters", DefaultValueFactory = _ => 40_000 };
        var skip = new Option<bool>("--skip-malformed") { Description = "Count malformed rows as dropped instead of stopping at the first" };
        var rule = new Option<string>("--verdict-rule")
        {
            Description = "reddit: how a comment's verdict is read: reference (the Scruples extractor's rule: acronyms and phrases anywhere, several labels resolved by position and contradiction words) or start (the comment must open with a verdict)",
            DefaultValueFactory = _ => "reference",
        };
        rule.AcceptOnlyFromAmong("reference", "start");
        var name = new Option<string?>("--name") { Description = "Dataset name in manifest.json (default: the output folder's name)" };

        var cmd = new Command("import", "Import AITA data (vote counts, Scruples, Reddit dumps, paired rationales) into a dataset folder")
        {
            format, inputs, output, min, subsample, seed, maxText, skip, rule, name,
        };
        cmd.SetAction(parse =>
        {
            var options = new ImportOptions
            {
                MinJudgments = parse.GetValue(min),
                Subsample = parse.GetValue(subsample),
                Seed = parse.GetValue(seed),
                MaxTextLength = parse.GetValue(maxText),
                SkipMalformed = parse.GetValue(skip),
                VerdictRule = AitaLabels.ParseRule(parse.GetValue(rule)!),
            };
            var outDir = parse.GetValue(output)!;
            try
            {
                var summary = DatasetChapters.ImportWithProgress(outDir, Importers.ParseFormat(parse.GetValue(format)!), parse.GetValue(inputs)!, options,
                    parse.GetValue(name), minInterval: TimeSpan.FromSeconds(2));
                parse.InvocationConfiguration.Output.Write(summary.Report.ToString());
                var hist = ConsensusBins.Histogram(summary.Human);
                var labels = ConsensusBins.Labels();
                parse.InvocationConfiguration.Output.WriteLine("human consensus bins: " + string.Join("  ", labels.Select((l, i) => $"{l} {hist[i]}")));
                parse.InvocationConfiguration.Output.WriteLine($"wrote {summary.Dilemmas:N0} dilemmas and {summary.Judgments:N0} judgments to {summary.Folder}");
                return 0;
            }
            catch (Exception e) when (e is DataFormatException or FileNotFoundException or ArgumentException)
            {
                parse.InvocationConfiguration.Error.WriteLine("import failed: " + e.Message);
                return 1;
            }
        });
        return cmd;
    }
}
