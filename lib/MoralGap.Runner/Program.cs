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
        return root;
    }

    /// <summary>Parses and runs <paramref name="args"/>; output and errors go to the given writers (the console by default).</summary>
    public static Task<int> InvokeAsync(string[] args, TextWriter? output = null, TextWriter? error = null, CancellationToken cancellationToken = default)
    {
        var config = new InvocationConfiguration();
        if (output is not null) config.Output = output;
        if (error is not null) config.Error = error;
        return CreateRootCommand().Parse(args).InvokeAsync(config, cancellationToken);
    }

    public static Task<int> Main(string[] args) => InvokeAsync(args);
}
