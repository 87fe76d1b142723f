using System.CommandLine;
using MoralGap.Runner.Commands;

namespace MoralGap.Runner;

/// <summary>The MoralNotebooks command line: one verb per file under Commands/.</summary>
public static class Program
{
    /// <summary>The root command with every verb.</summary>
    public static RootCommand CreateRootCommand()
    {
        var root = new RootCommand("MoralNotebooks runner: run the notebooks through the official .NET Interactive kernel, prepare the library, long batch jobs.");
        // One line per verb (Commands/<Verb>Command.cs exposes `public static Command Create()`).
        root.Subcommands.Add(BuildCommand.Create());
        root.Subcommands.Add(RunCommand.Create());
        root.Subcommands.Add(ExportCommand.Create());
        root.Subcommands.Add(ImportCommand.Create());
        root.Subcommands.Add(RewriteCommand.Create());
        root.Subcommands.Add(JudgeCommand.Create());
        root.Subcommands.Add(ImportJudgmentsCommand.Create());
        root.Subcommands.Add(AlignmentCommand.Create());
        root.Subcommands.Add(ValuesTrainCommand.Create());
        root.Subcommands.Add(ValuesEvalCommand.Create());
        root.Subcommands.Add(SampleCommand.Create());
        return root;
    }

    /// <summary>Exit code of a command line that does not parse (unknown option, bad value, missing argument), for every verb.</summary>
    public const int UsageError = 2;

    /// <summary>
    /// Parses and runs <paramref name="args"/>; output and errors go to the given writers (the console by default).
    /// A command line that does not parse prints its errors and exits with <see cref="UsageError"/> (2), as the verbs'
    /// own usage errors do, instead of System.CommandLine's 1, which means "a cell failed" for <c>run</c> and "bad data"
    /// for <c>import</c> and <c>judge</c>.
    /// </summary>
    public static async Task<int> InvokeAsync(string[] args, TextWriter? output = null, TextWriter? error = null, CancellationToken cancellationToken = default)
    {
        var config = new InvocationConfiguration();
        if (output is not null) config.Output = output;
        if (error is not null) config.Error = error;
        var parse = CreateRootCommand().Parse(args);
        var code = await parse.InvokeAsync(config, cancellationToken).ConfigureAwait(false);
        return parse.Errors.Count > 0 ? UsageError : code;
    }

    /// <summary>Entry point.</summary>
    public static Task<int> Main(string[] args) => InvokeAsync(args);
}
