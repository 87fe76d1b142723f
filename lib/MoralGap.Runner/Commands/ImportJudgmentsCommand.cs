using System.CommandLine;
using MoralGap.Data;

namespace MoralGap.Runner.Commands;

/// <summary>
/// <c>import-judgments --format recorded-jsonl|recorded-csv FILE --model NAME --data DIR [--replace]</c>: adds a study's
/// released judgment log to a dataset folder (<see cref="RecordedJudgments.ImportInto"/>) and prints what it added.
/// Exit codes: 0 done; 1 bad input (the message names file, line and field); 2 usage error.
/// </summary>
public static class ImportJudgmentsCommand
{
    /// <summary>The <c>import-judgments</c> verb.</summary>
    public static Command Create()
    {
        var format = new Option<string>("--format", "-f") { Description = "Log format: recorded-jsonl or recorded-csv", Required = true };
        format.AcceptOnlyFromAmong("recorded-jsonl", "recorded-csv");
        var file = new Argument<string>("FILE") { Description = "The judgment log (one answer a line/row: post_id, cond, sample, unacceptable | p_unacc)" };
        var model = new Option<string>("--model", "-m") { Description = "The model's name, stored as the judgments' author", Required = true };
        var data = new Option<string>("--data", "-d") { Description = "Dataset folder to add the judgments to (with the human votes, e.g. from import --format scruples-votes)", Required = true };
        var replace = new Option<bool>("--replace") { Description = "Replace judgments of the same model already in the folder (default: refuse)" };
        var cmd = new Command("import-judgments", "Add a study's recorded LLM judgments (verdicts or stated shares per condition) to a dataset folder")
        {
            format, file, model, data, replace,
        };
        cmd.SetAction(parse =>
        {
            var o = parse.InvocationConfiguration.Output;
            var e = parse.InvocationConfiguration.Error;
            try
            {
                var report = RecordedJudgments.ImportInto(parse.GetValue(data)!, parse.GetValue(file)!,
                    RecordedJudgments.ParseFormat(parse.GetValue(format)!), parse.GetValue(model)!, parse.GetValue(replace));
                o.Write(report.ToString());
                return 0;
            }
            catch (Exception ex) when (ex is DataFormatException or FileNotFoundException or DirectoryNotFoundException or ArgumentException)
            {
                e.WriteLine("import-judgments failed: " + ex.Message);
                return 1;
            }
        });
        return cmd;
    }
}
