using System.CommandLine;
using MoralGap.Data;

namespace MoralGap.Runner.Commands;

/// <summary>
/// The <c>sample</c> verb: regenerates the embedded sample (dilemmas, judgments, manifest, truth.json) from its seed with
/// <see cref="SampleGenerator"/>, from data/sample-source and data/value-lexicon.tsv. After a change to the generator,
/// run it, then rerun every chapter (their outputs read the sample).
/// </summary>
public static class SampleCommand
{
    public static Command Create()
    {
        var output = new Option<string>("--out") { Description = "Folder to write, relative to the repository root", DefaultValueFactory = _ => Path.Combine("data", "sample") };
        var seed = new Option<int>("--seed") { Description = "Seed of the generative model", DefaultValueFactory = _ => SampleGenerator.DefaultSeed };
        var command = new Command("sample",
            "Regenerate the embedded sample (dilemmas.jsonl, judgments.jsonl, manifest.json, truth.json) from its seed. "
            + "Exit codes: 0 written; 2 repository not found; 3 bad source data.") { output, seed };
        command.SetAction(parse =>
        {
            var root = Repository.FindRoot();
            if (root is null)
            {
                parse.InvocationConfiguration.Error.WriteLine($"sample: {Repository.SolutionFile} not found above {Directory.GetCurrentDirectory()}");
                return 2;
            }
            var folder = Path.GetFullPath(Path.Combine(root, parse.GetValue(output)!));
            try
            {
                var sample = SampleGenerator.Generate(parse.GetValue(seed),
                    dilemmasTsv: Path.Combine(root, SampleGenerator.SourceRelativePath), lexiconTsv: Path.Combine(root, "data", "value-lexicon.tsv"));
                sample.Write(folder);
                parse.InvocationConfiguration.Output.WriteLine(
                    $"sample: {sample.Dataset.Dilemmas.Count} dilemmas, {sample.Dataset.Judgments.Count} judgments (seed {parse.GetValue(seed)}) written to {folder}");
                return 0;
            }
            catch (DataFormatException ex)
            {
                parse.InvocationConfiguration.Error.WriteLine($"sample: {ex.Message}");
                return 3;
            }
        });
        return command;
    }
}
