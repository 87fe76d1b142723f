using System.CommandLine;
using System.Globalization;
using MoralGap.Data;
using MoralGap.Judging;

namespace MoralGap.Runner.Commands;

/// <summary>
/// <c>alignment --data DIR [--models a,b] [--baseline vanilla] [--margin-r 0.05] [--margin-gap 0.02] [--replicates 2000]
/// [--seed 1] [--json]</c>: every model and condition of a dataset folder against its human votes
/// (<see cref="AlignmentStudy"/>), as tables or one JSON object. Exit codes: 0 done; 1 bad data; 2 usage error.
/// </summary>
public static class AlignmentCommand
{
    /// <summary>The <c>alignment</c> verb.</summary>
    public static Command Create()
    {
        var data = new Option<string>("--data", "-d") { Description = "Dataset folder with human votes and model judgments", Required = true };
        var models = new Option<string?>("--models") { Description = "Comma-separated models to report (default: all)" };
        var baseline = new Option<string>("--baseline") { Description = "Condition the others are compared with", DefaultValueFactory = _ => Judgment.Vanilla };
        var marginR = new Option<double>("--margin-r") { Description = "TOST equivalence margin of Δr", DefaultValueFactory = _ => 0.05 };
        var marginGap = new Option<double>("--margin-gap") { Description = "TOST equivalence margin of Δ mean |Δp|", DefaultValueFactory = _ => 0.02 };
        var replicates = new Option<int>("--replicates") { Description = "Bootstrap replicates", DefaultValueFactory = _ => 2000 };
        var seed = new Option<int>("--seed") { Description = "Seed of the bootstrap", DefaultValueFactory = _ => 1 };
        var json = new Option<bool>("--json") { Description = "Print one JSON object {rows, paired, byBin} instead of tables" };
        var cmd = new Command("alignment", "Human–model alignment per model and condition, with paired comparisons against a baseline condition")
        {
            data, models, baseline, marginR, marginGap, replicates, seed, json,
        };
        cmd.SetAction(parse =>
        {
            var o = parse.InvocationConfiguration.Output;
            var e = parse.InvocationConfiguration.Error;
            var options = new AlignmentOptions
            {
                Models = parse.GetValue(models)?.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries),
                Baseline = parse.GetValue(baseline)!,
                MarginR = parse.GetValue(marginR),
                MarginGap = parse.GetValue(marginGap),
                Replicates = parse.GetValue(replicates),
                Seed = parse.GetValue(seed),
            };
            AlignmentReport report;
            try
            {
                options.Validate();
            }
            catch (ArgumentException ex)
            {
                e.WriteLine("alignment: " + ex.Message);
                return Program.UsageError;
            }
            try
            {
                report = AlignmentStudy.Compute(parse.GetValue(data)!, options);
            }
            catch (Exception ex) when (ex is DataFormatException or FileNotFoundException or DirectoryNotFoundException or ArgumentException or InvalidOperationException or KeyNotFoundException)
            {
                e.WriteLine("alignment failed: " + ex.Message);
                return 1;
            }
            o.WriteLine(parse.GetValue(json) ? report.ToJson() : report.ToString());
            return 0;
        });
        return cmd;
    }
}
