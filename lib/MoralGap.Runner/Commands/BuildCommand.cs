using System.CommandLine;

namespace MoralGap.Runner.Commands;

/// <summary>The <c>build</c> verb: prepares what notebooks need (the kernel tool and the library in the local feed).</summary>
public static class BuildCommand
{
    public static Command Create()
    {
        var command = new Command("build",
            "Restore the dotnet-interactive local tool and pack lib/MoralGap into artifacts/feed, the local NuGet feed "
            + "notebooks load the library from. Exit codes: 0 done; 2 repository not found; 4 a step failed.");
        command.SetAction(async (parse, ct) =>
        {
            var root = Repository.FindRoot();
            if (root is null)
            {
                parse.InvocationConfiguration.Error.WriteLine($"build: {Repository.SolutionFile} not found above {Directory.GetCurrentDirectory()}");
                return 2;
            }
            var ok = await Repository.PrepareAsync(root, parse.InvocationConfiguration.Output, ct);
            if (ok) parse.InvocationConfiguration.Output.WriteLine($"build: the library is in {Repository.FeedFolder(root)}");
            return ok ? 0 : 4;
        });
        return command;
    }
}
