using System.Diagnostics;
using System.Text.RegularExpressions;

namespace MoralGap.Tests.Runner;

/// <summary>
/// The kernel does not exit when its stdin closes (measured: it keeps running and spins a core), so a runner that is
/// killed outright must not leave it behind: the watchdog cell the runner sends first ends the kernel.
/// </summary>
[Trait("Category", "Kernel")]
public sealed class WatchdogTests
{
    [SkippableFact]
    public async Task KillingTheRunnerEndsTheKernelItStarted()
    {
        Skip.IfNot(OperatingSystem.IsLinux(), "reads child processes from /proc");
        var runnerDll = Path.Combine(AppContext.BaseDirectory, "MoralGap.Runner.dll");
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { runnerDll, "run", RunnerHarness.Fixture("hanging.ipynb"), "--no-build", "--timeout", "600", "--out", RunnerHarness.NewTempFolder("watchdog") })
            psi.ArgumentList.Add(a);
        using var runner = Process.Start(psi)!;
        int? hostPid = null;
        try
        {
            // Wait until the hanging cell (cell 2) is running: cell 1 reported ok.
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(10));
            var log = "";
            while (await runner.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
            {
                log += line + "\n";
                if (Regex.Match(line, @"\(pid (\d+)\)") is { Success: true } m) hostPid = int.Parse(m.Groups[1].Value);
                if (line.Contains("cell 1/2 ok")) break;
            }
            Assert.True(hostPid is not null && log.Contains("cell 1/2 ok"), log + await runner.StandardError.ReadToEndAsync());
            var kernelPids = Children(hostPid!.Value);
            Assert.NotEmpty(kernelPids);

            runner.Kill(entireProcessTree: false); // SIGKILL the runner only: no finally, no ProcessExit handler runs
            await runner.WaitForExitAsync();

            var stillAlive = new[] { hostPid.Value }.Concat(kernelPids).ToArray();
            for (var i = 0; i < 100 && stillAlive.Any(RunnerHarness.IsAlive); i++) await Task.Delay(100);
            Assert.True(!stillAlive.Any(RunnerHarness.IsAlive), "still running: " + string.Join(", ", stillAlive.Where(RunnerHarness.IsAlive)));
        }
        finally
        {
            // Never leave a spinning kernel behind, even when an assertion failed.
            if (!runner.HasExited) runner.Kill(entireProcessTree: true);
            if (hostPid is { } h)
                foreach (var pid in new[] { h }.Concat(Children(h)))
                    try { Process.GetProcessById(pid).Kill(); } catch (Exception e) when (e is ArgumentException or InvalidOperationException) { }
        }
    }

    private static int[] Children(int pid)
    {
        try
        {
            return Directory.GetDirectories($"/proc/{pid}/task")
                .SelectMany(t => File.ReadAllText(Path.Combine(t, "children")).Split(' ', StringSplitOptions.RemoveEmptyEntries))
                .Select(int.Parse).ToArray();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }
}
