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
        // --timeout 120: the runner's own cell timeout must not fire before the test kills it.
        foreach (var a in new[] { runnerDll, "run", RunnerHarness.Fixture("hanging.ipynb"), "--no-build", "--timeout", "120", "--out", RunnerHarness.NewTempFolder("watchdog") })
            psi.ArgumentList.Add(a);
        var log = new System.Text.StringBuilder();
        var hangingCellRuns = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        int? hostPid = null;
        using var runner = new Process { StartInfo = psi };
        runner.OutputDataReceived += (_, e) =>
        {
            if (e.Data is not { } line) return;
            lock (log) log.AppendLine(line);
            if (Regex.Match(line, @"\(pid (\d+)\)") is { Success: true } m) hostPid = int.Parse(m.Groups[1].Value);
            if (line.Contains("cell 1/2 ok")) hangingCellRuns.TrySetResult(); // cell 2, the endless loop, now runs
        };
        runner.ErrorDataReceived += (_, e) => { if (e.Data is { } line) lock (log) log.AppendLine("stderr: " + line); };
        runner.Start();
        runner.BeginOutputReadLine();
        runner.BeginErrorReadLine();
        try
        {
            await Task.WhenAny(hangingCellRuns.Task, runner.WaitForExitAsync(), Task.Delay(TimeSpan.FromMinutes(10)));
            Assert.True(hangingCellRuns.Task.IsCompleted && hostPid is not null, "the runner did not reach the hanging cell:\n" + log);
            var kernelPids = Children(hostPid!.Value);
            Assert.True(kernelPids.Length > 0, $"no child process of the kernel host {hostPid} (alive: {RunnerHarness.IsAlive(hostPid.Value)}); runner log:\n{log}");

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

    /// <summary>Processes whose parent is <paramref name="pid"/>, from /proc/*/stat.</summary>
    private static int[] Children(int pid)
    {
        var result = new List<int>();
        foreach (var dir in Directory.GetDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var child)) continue;
            try
            {
                var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                if (int.Parse(fields[1]) == pid) result.Add(child);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException) { }
        }
        return result.ToArray();
    }
}
