using System.Diagnostics;
using MoralGap.Data;

namespace MoralGap.Runner;

/// <summary>The MoralNotebooks repository the runner works in, and the steps that prepare it for notebooks.</summary>
public static class Repository
{
    /// <summary>The file that marks the repository root.</summary>
    public const string SolutionFile = RepositoryRoot.SolutionFile;

    /// <summary>
    /// The repository root: the first folder holding MoralNotebooks.sln walking up from the current directory,
    /// else from the runner's own folder; null when neither is inside the repository.
    /// </summary>
    public static string? FindRoot(string? start = null) =>
        RepositoryRoot.Find(start ?? Directory.GetCurrentDirectory(), AppContext.BaseDirectory);

    /// <summary>The local NuGet folder feed notebooks load the library from: artifacts/feed.</summary>
    public static string FeedFolder(string root) => Path.Combine(root, "artifacts", "feed");

    /// <summary>
    /// What notebooks need before they run: <c>dotnet tool restore</c> (the dotnet-interactive kernel), then the
    /// library packed into the local feed (<c>dotnet pack lib/MoralGap -c Release -o artifacts/feed</c>, older
    /// MoralGap.*.nupkg deleted first). Returns false after printing the failing step's output.
    /// </summary>
    public static async Task<bool> PrepareAsync(string root, TextWriter log, CancellationToken cancellationToken)
    {
        if (!await RunDotnetAsync(root, log, cancellationToken, "tool", "restore")) return false;
        var feed = FeedFolder(root);
        Directory.CreateDirectory(feed);
        foreach (var old in Directory.EnumerateFiles(feed, "MoralGap.*.nupkg"))
            File.Delete(old);
        return await RunDotnetAsync(root, log, cancellationToken,
            "pack", Path.Combine("lib", "MoralGap"), "-c", "Release", "-o", feed, "-nologo");
    }

    /// <summary>Runs <c>dotnet ARGS</c> in <paramref name="workingDirectory"/>; its output goes to the log when it fails.</summary>
    public static async Task<bool> RunDotnetAsync(string workingDirectory, TextWriter log, CancellationToken cancellationToken, params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        psi.Environment["DOTNET_INTERACTIVE_CLI_TELEMETRY_OPTOUT"] = "1";
        psi.Environment["DOTNET_NOLOGO"] = "1";
        var command = "dotnet " + string.Join(' ', args);
        log.WriteLine($"> {command}");
        var sw = Stopwatch.StartNew();
        using var process = Process.Start(psi) ?? throw new InvalidOperationException("could not start dotnet");
        var stdout = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        var stderr = process.StandardError.ReadToEndAsync(CancellationToken.None);
        try
        {
            await process.WaitForExitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            try { process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
            throw;
        }
        var output = (await stdout) + (await stderr);
        if (process.ExitCode != 0)
        {
            log.WriteLine(output.TrimEnd());
            log.WriteLine($"`{command}` failed with exit code {process.ExitCode}");
            return false;
        }
        log.WriteLine($"  ok in {sw.Elapsed.TotalSeconds:0.0} s");
        return true;
    }
}
