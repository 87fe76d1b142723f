using System.CommandLine;
using System.Diagnostics;
using System.Globalization;

namespace MoralGap.Bench;

/// <summary>
/// Benchmarks for MoralGap's numerics, run by hand (never by `dotnet test`), one verb each; parsed with
/// System.CommandLine as the runner is (`-- --help` lists them):
///   dotnet run -c Release --project tests/MoralGap.Bench -- cluster [n1 n2 …]   our linkage vs scipy and scikit-learn
///   dotnet run -c Release --project tests/MoralGap.Bench -- dirichlet            Dirichlet fit time at paper scale
///   dotnet run -c Release --project tests/MoralGap.Bench -- judge [calls]        JudgmentCollector throughput, loopback server, 100 ms latency
///   dotnet run -c Release --project tests/MoralGap.Bench -- embed [n [b1 b2 …]]  our Embedder vs raw ONNX Runtime, n texts, batch sizes
///   dotnet run -c Release --project tests/MoralGap.Bench -- import [MB …]        streaming import of generated Reddit dumps vs parse-only and in-memory
///   dotnet run -c Release --project tests/MoralGap.Bench -- alignment [dilemmas=500] [models=10] [conditions=7] [samples=32] [--keep]
///                                                                                 AlignmentStudy.Compute on generated recorded judgments vs parse-only
///   dotnet run -c Release --project tests/MoralGap.Bench -- values [n]           value classifiers vs embedding alone, training time
///   dotnet run -c Release --project tests/MoralGap.Bench -- batch [dilemmas=1618] [models=10] [samples=32] [answers=100000]
///                                                                                 Batch API plan vs a plain stream; SQLite vs folder cache
/// </summary>
public static class Program
{
    /// <summary>The root command with every verb (the hidden ones are the measured child processes).</summary>
    public static RootCommand CreateRootCommand()
    {
        var root = new RootCommand("MoralGap benchmarks: ratios against a reference measured in the same run (see RESULTS.md).");

        var sizes = new Argument<int[]>("n") { Description = "Numbers of phrases to cluster (default 3783 and 8000)", Arity = ArgumentArity.ZeroOrMore };
        var cluster = new Command("cluster", "Our average-linkage clustering vs scipy and scikit-learn on MiniLM vectors") { sizes };
        cluster.SetAction(p => ClusterBench.Run(p.GetValue(sizes) is { Length: > 0 } n ? [.. n] : [3783, 8000]));
        root.Subcommands.Add(cluster);

        var timingN = new Argument<int>("n") { Description = "Random unit vectors" };
        var timing = new Command("timing", "Ours only, on random unit vectors (a quick check while tuning)") { timingN };
        timing.SetAction(p => ClusterBench.Timing(p.GetValue(timingN)));
        root.Subcommands.Add(timing);

        var embedPath = new Argument<string>("path");
        var embedCount = new Argument<int>("count");
        var embedVectors = new Command("embed-vectors", "Child process: embeds phrases, so MiniLM's memory is not counted in the clustering process") { embedPath, embedCount };
        embedVectors.Hidden = true;
        embedVectors.SetAction(p => { ClusterBench.Embed(p.GetValue(embedPath)!, p.GetValue(embedCount)); return 0; });
        root.Subcommands.Add(embedVectors);

        var dirichlet = new Command("dirichlet", "Dirichlet fit time at paper scale");
        dirichlet.SetAction(_ => DirichletBench.Run());
        root.Subcommands.Add(dirichlet);

        var calls = new Argument<int>("calls") { Description = "Calls", DefaultValueFactory = _ => 800 };
        var judge = new Command("judge", "JudgmentCollector throughput against a loopback server with 100 ms latency") { calls };
        judge.SetAction((p, _) => JudgeBench.Run(p.GetValue(calls)));
        root.Subcommands.Add(judge);

        var texts = new Argument<int>("count") { Description = "Texts to embed", DefaultValueFactory = _ => 2000 };
        var batches = new Argument<int[]>("batch-sizes") { Description = "Batch sizes (default 32 128)", Arity = ArgumentArity.ZeroOrMore };
        var embed = new Command("embed", "Our Embedder vs raw ONNX Runtime on the same batches") { texts, batches };
        embed.SetAction(p => EmbedBench.Run(p.GetValue(texts), p.GetValue(batches) is { Length: > 0 } b ? b : [32, 128]));
        root.Subcommands.Add(embed);

        var keepDumps = new Option<bool>("--keep") { Description = "Keep the generated dumps for reruns" };
        var megabytes = new Argument<int[]>("MB") { Description = "Dump sizes in MB (default 128 1000)", Arity = ArgumentArity.ZeroOrMore };
        var import = new Command("import", "Streaming import of generated Reddit dumps vs parse-only and in-memory") { megabytes, keepDumps };
        import.SetAction(p => ImportBench.Run(p.GetValue(megabytes) is { Length: > 0 } mb ? mb : [128, 1000], p.GetValue(keepDumps)));
        root.Subcommands.Add(import);

        var mode = new Argument<string>("mode");
        var submissions = new Argument<string>("submissions");
        var comments = new Argument<string>("comments");
        var importChild = new Command("import-child", "Child process: one measured import (its own peak RSS)") { mode, submissions, comments };
        importChild.Hidden = true;
        importChild.SetAction(p => ImportBench.ChildMain(p.GetValue(mode)!, p.GetValue(submissions)!, p.GetValue(comments)!));
        root.Subcommands.Add(importChild);

        var keepFolder = new Option<bool>("--keep") { Description = "Reuse the generated folder" };
        var dilemmas = new Argument<int>("dilemmas") { DefaultValueFactory = _ => 500 };
        var models = new Argument<int>("models") { DefaultValueFactory = _ => 10 };
        var conditions = new Argument<int>("conditions") { DefaultValueFactory = _ => 7 };
        var samples = new Argument<int>("samples") { DefaultValueFactory = _ => 32 };
        var alignment = new Command("alignment", "AlignmentStudy.Compute on generated recorded judgments vs parse-only")
        {
            dilemmas, models, conditions, samples, keepFolder,
        };
        alignment.SetAction(p => AlignmentBench.Run(p.GetValue(dilemmas), p.GetValue(models), p.GetValue(conditions), p.GetValue(samples), p.GetValue(keepFolder)));
        root.Subcommands.Add(alignment);

        var alignmentMode = new Argument<string>("mode");
        var folder = new Argument<string>("folder");
        var alignmentChild = new Command("alignment-child", "Child process: one measured mode, warm-up and measured run (its own peak RSS)") { alignmentMode, folder };
        alignmentChild.Hidden = true;
        alignmentChild.SetAction(p => AlignmentBench.ChildMain(p.GetValue(alignmentMode)!, p.GetValue(folder)!));
        root.Subcommands.Add(alignmentChild);

        var premises = new Argument<int>("n") { Description = "ValueEval validation premises", DefaultValueFactory = _ => 500 };
        var values = new Command("values", "Value classifiers vs embedding alone, training time") { premises };
        values.SetAction(p => ValuesBench.Run(p.GetValue(premises)));
        root.Subcommands.Add(values);
        var batchDilemmas = new Argument<int>("dilemmas") { DefaultValueFactory = _ => 1618 };
        var batchModels = new Argument<int>("models") { DefaultValueFactory = _ => 10 };
        var batchSamples = new Argument<int>("samples") { DefaultValueFactory = _ => 32 };
        var batchCache = new Argument<int>("answers") { Description = "Answers written and read in each cache", DefaultValueFactory = _ => 100_000 };
        var batch = new Command("batch", "Batch API plan at paper scale vs a plain stream; SQLite vs folder response cache")
        {
            batchDilemmas, batchModels, batchSamples, batchCache,
        };
        batch.SetAction(p => BatchBench.Run(p.GetValue(batchDilemmas), p.GetValue(batchModels), p.GetValue(batchSamples), p.GetValue(batchCache)));
        root.Subcommands.Add(batch);

        var batchMode = new Argument<string>("mode");
        var batchRoot = new Argument<string>("root");
        var childDilemmas = new Argument<int>("dilemmas");
        var childModels = new Argument<int>("models");
        var childSamples = new Argument<int>("samples");
        var childLines = new Argument<long>("lines");
        var childBytes = new Argument<long>("bytes");
        var batchChild = new Command("batch-child", "Child process: one measured mode of the batch plan (its own peak RSS)")
        {
            batchMode, batchRoot, childDilemmas, childModels, childSamples, childLines, childBytes,
        };
        batchChild.Hidden = true;
        batchChild.SetAction(p => BatchBench.ChildMain(p.GetValue(batchMode)!, p.GetValue(batchRoot)!, p.GetValue(childDilemmas), p.GetValue(childModels),
            p.GetValue(childSamples), p.GetValue(childLines), p.GetValue(childBytes)));
        root.Subcommands.Add(batchChild);
        return root;
    }

    /// <summary>Runs a verb; a command line that does not parse exits with 2, as before.</summary>
    public static int Main(string[] args)
    {
        CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
        CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
        var parse = CreateRootCommand().Parse(args);
        var code = parse.Invoke();
        return parse.Errors.Count > 0 ? 2 : code;
    }

    /// <summary>
    /// This benchmark run again as a child process with <paramref name="args"/> (a hidden verb), its standard output
    /// redirected when asked: each measured mode gets its own process and so its own peak RSS.
    /// </summary>
    public static ProcessStartInfo ChildProcess(bool redirectOutput, params string[] args)
    {
        var psi = new ProcessStartInfo(Environment.ProcessPath!) { UseShellExecute = false, RedirectStandardOutput = redirectOutput };
        if (Path.GetFileNameWithoutExtension(Environment.ProcessPath!) == "dotnet") psi.ArgumentList.Add(typeof(Program).Assembly.Location);
        foreach (var a in args) psi.ArgumentList.Add(a);
        return psi;
    }

    /// <summary>Peak resident set size of this process in bytes (VmHWM from /proc/self/status on Linux; PeakWorkingSet64 elsewhere).</summary>
    public static long PeakRss()
    {
        const string status = "/proc/self/status";
        if (File.Exists(status))
            foreach (var line in File.ReadLines(status))
                if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                    return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
        return Process.GetCurrentProcess().PeakWorkingSet64;
    }
}
