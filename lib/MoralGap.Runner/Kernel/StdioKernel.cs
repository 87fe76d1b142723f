using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Channels;

namespace MoralGap.Runner.Kernel;

/// <summary>
/// The official .NET Interactive kernel (<c>dotnet dotnet-interactive stdio</c>, the local tool of the repository)
/// driven over its JSON-lines protocol: one command envelope per line on stdin, one event envelope per line on stdout.
/// </summary>
/// <remarks>
/// Hand-written rather than <c>Connection.StdIoKernelConnector</c>: the runner must own the kernel process
/// (per-cell timeout, killing the whole process tree, a watchdog) and needs only SubmitCode, Quit and a few
/// event types; the connector hides the process. Measured behaviour (1.0.712001, 2 cores):
/// KernelReady after 5–8 s; the first SubmitCode takes 6–8 s more (Roslyn warm-up), later ones 0.1–0.7 s;
/// Quit ends both processes in ~0.3 s. The kernel does NOT exit when its stdin closes: it keeps running and spins
/// a core. <c>dotnet dotnet-interactive</c> is a host that starts the kernel as a child process; killing only the
/// host leaves the kernel orphaned. Hence the process-tree kill here and the in-kernel watchdog
/// (<see cref="WatchdogCode"/>) that ends the kernel when the runner's process is gone (runner SIGKILLed).
/// </remarks>
public sealed class StdioKernel : IAsyncDisposable
{
    /// <summary>
    /// The kernel host name the runner gives the kernel (<c>--kernel-host</c>; its kernels are then
    /// <c>kernel://moralgap-runner/csharp</c>…), so outputs do not carry a volatile <c>kernel://pid-N</c>.
    /// </summary>
    public const string KernelHostName = "moralgap-runner";

    private readonly Process _process;
    private readonly Channel<JsonObject> _events = Channel.CreateUnbounded<JsonObject>(new() { SingleReader = true });
    private readonly Queue<string> _stderrTail = new();
    private readonly Task _stdoutPump;
    private readonly Task _stderrPump;
    private int _tokenCounter;
    private bool _killed;

    private StdioKernel(Process process)
    {
        _process = process;
        _stdoutPump = Task.Run(PumpStdoutAsync);
        _stderrPump = Task.Run(PumpStderrAsync);
        LiveKernels.Add(this);
    }

    /// <summary>The process id of the kernel host (<c>dotnet dotnet-interactive</c>); the kernel is its child.</summary>
    public int ProcessId { get; private set; }

    /// <summary>How long the kernel took to report KernelReady.</summary>
    public TimeSpan StartupTime { get; private set; }

    /// <summary>How long the first submission (the watchdog cell: C# compiler warm-up) took.</summary>
    public TimeSpan WarmupTime { get; private set; }

    /// <summary>True once the kernel process has ended.</summary>
    public bool HasExited
    {
        get
        {
            try { return _process.HasExited; }
            catch (InvalidOperationException) { return true; }
        }
    }

    /// <summary>The last lines the kernel wrote to stderr (for error messages).</summary>
    public string StderrTail
    {
        get { lock (_stderrTail) return string.Join('\n', _stderrTail); }
    }

    /// <summary>
    /// Starts the kernel with <paramref name="workingDirectory"/> as its current directory (as VS Code does: the
    /// notebook's folder), waits for KernelReady and installs the watchdog.
    /// </summary>
    /// <param name="repoRoot">Folder whose .config/dotnet-tools.json provides the dotnet-interactive local tool.</param>
    /// <param name="environment">Extra environment variables for the kernel process (e.g. MORALGAP_FIGURES_DIR).</param>
    public static async Task<StdioKernel> StartAsync(string workingDirectory, string repoRoot, TimeSpan startTimeout, CancellationToken cancellationToken,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        var psi = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = repoRoot,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = System.Text.Encoding.UTF8,
            StandardErrorEncoding = System.Text.Encoding.UTF8,
        };
        foreach (var a in new[] { "dotnet-interactive", "stdio", "--working-dir", workingDirectory, "--kernel-host", KernelHostName })
            psi.ArgumentList.Add(a);
        psi.Environment["DOTNET_INTERACTIVE_CLI_TELEMETRY_OPTOUT"] = "1";
        psi.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        psi.Environment["DOTNET_NOLOGO"] = "1";
        foreach (var (key, value) in environment ?? new Dictionary<string, string>()) psi.Environment[key] = value;

        var sw = Stopwatch.StartNew();
        var process = Process.Start(psi) ?? throw new KernelException("could not start `dotnet dotnet-interactive stdio`");
        var kernel = new StdioKernel(process) { ProcessId = process.Id };
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(startTimeout);
            while (true)
            {
                JsonObject e;
                try
                {
                    e = await kernel._events.Reader.ReadAsync(timeout.Token);
                }
                catch (ChannelClosedException)
                {
                    throw new KernelException($"the kernel exited before it was ready (exit code {SafeExitCode(process)}). "
                        + "Run `dotnet tool restore` in the repository (or drop --no-build). Kernel stderr:\n" + kernel.StderrTail);
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    throw new KernelException($"the kernel did not report KernelReady within {startTimeout.TotalSeconds:0} s. Kernel stderr:\n" + kernel.StderrTail);
                }
                if (e["eventType"]?.GetValue<string>() == "KernelReady") break;
            }
            kernel.StartupTime = sw.Elapsed;
            sw.Restart();
            var watchdog = await kernel.SubmitCodeAsync(WatchdogCode(Environment.ProcessId), "csharp", startTimeout, cancellationToken);
            if (!watchdog.Succeeded)
                throw new KernelException("the kernel rejected the runner's watchdog cell: " + watchdog.ErrorMessage);
            kernel.WarmupTime = sw.Elapsed;
            return kernel;
        }
        catch
        {
            kernel.Kill();
            throw;
        }
    }

    /// <summary>
    /// C# run first in every kernel: a background thread that ends the kernel when the runner process is gone.
    /// It declares no variable, so the notebook's state is untouched.
    /// </summary>
    public static string WatchdogCode(int runnerPid) =>
        $$"""
        new System.Threading.Thread(() => {
            try {
                var runner = System.Diagnostics.Process.GetProcessById({{runnerPid}});
                while (!runner.HasExited) System.Threading.Thread.Sleep(500);
            } catch (System.ArgumentException) { }
            System.Environment.Exit(137);
        }) { IsBackground = true, Name = "MoralGap.Runner watchdog" }.Start();
        """;

    /// <summary>
    /// Submits code and collects every event of this command and of the commands it spawned (tokens
    /// <c>token.N</c>, e.g. a setup cell that sends SubmitCode to Kernel.Root), until CommandSucceeded or
    /// CommandFailed of the submission. On timeout the kernel is killed and <see cref="SubmissionResult.TimedOut"/> is set.
    /// </summary>
    public async Task<SubmissionResult> SubmitCodeAsync(string code, string targetKernelName, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var token = $"mg{Interlocked.Increment(ref _tokenCounter)}";
        var envelope = new JsonObject
        {
            ["token"] = token,
            ["commandType"] = "SubmitCode",
            ["command"] = new JsonObject { ["code"] = code, ["targetKernelName"] = targetKernelName },
        };
        await WriteLineAsync(envelope.ToJsonString());
        var events = new List<KernelEvent>();
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(timeout);
        try
        {
            while (true)
            {
                JsonObject e;
                try
                {
                    e = await _events.Reader.ReadAsync(cts.Token);
                }
                catch (ChannelClosedException)
                {
                    return new SubmissionResult(events, false, false,
                        $"the kernel process exited during the cell (exit code {SafeExitCode(_process)}). Kernel stderr:\n{StderrTail}");
                }
                var ke = KernelEvent.From(e);
                if (ke.Token is null || !(ke.Token == token || ke.Token.StartsWith(token + ".", StringComparison.Ordinal)))
                    continue; // events of no command (e.g. KernelReady) or of an earlier, abandoned command
                if (ke.Token == token && ke.Type is "CommandSucceeded" or "CommandFailed")
                    return new SubmissionResult(events, ke.Type == "CommandSucceeded", false,
                        ke.Type == "CommandFailed" ? ke.Event["message"]?.GetValue<string>() ?? "(no message)" : null);
                events.Add(ke);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            Kill();
            return new SubmissionResult(events, false, true, $"the cell did not finish within {timeout.TotalSeconds:0.#} s; the kernel was stopped");
        }
    }

    /// <summary>Sends Quit and waits for the kernel to end; kills the process tree if it has not ended in <paramref name="wait"/>.</summary>
    public async Task QuitAsync(TimeSpan wait)
    {
        if (!HasExited)
        {
            try
            {
                await WriteLineAsync(new JsonObject { ["token"] = "quit", ["commandType"] = "Quit", ["command"] = new JsonObject() }.ToJsonString());
                using var cts = new CancellationTokenSource(wait);
                await _process.WaitForExitAsync(cts.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or IOException or InvalidOperationException) { }
        }
        Kill();
    }

    /// <summary>Kills the kernel host and the kernel (the whole process tree); safe to call more than once.</summary>
    public void Kill()
    {
        lock (_process)
        {
            if (!_killed)
            {
                _killed = true;
                try
                {
                    if (!_process.HasExited) _process.Kill(entireProcessTree: true);
                }
                catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception or NotSupportedException) { }
            }
        }
        try { _process.WaitForExit(5000); } catch (InvalidOperationException) { }
        LiveKernels.Remove(this);
    }

    public async ValueTask DisposeAsync()
    {
        await QuitAsync(TimeSpan.FromSeconds(10));
        try { await Task.WhenAll(_stdoutPump, _stderrPump).WaitAsync(TimeSpan.FromSeconds(5)); } catch (Exception) { }
        _process.Dispose();
    }

    private async Task WriteLineAsync(string line)
    {
        try
        {
            await _process.StandardInput.WriteLineAsync(line);
            await _process.StandardInput.FlushAsync();
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or InvalidOperationException)
        {
            // The kernel is gone; the reader will report it.
        }
    }

    private async Task PumpStdoutAsync()
    {
        try
        {
            while (await _process.StandardOutput.ReadLineAsync() is { } line)
            {
                // Lines before the first event are a banner; anything that is not a JSON object is skipped.
                var start = line.IndexOf('{');
                if (start < 0) continue;
                try
                {
                    if (JsonNode.Parse(line.AsSpan(start).ToString()) is JsonObject obj && obj.ContainsKey("eventType"))
                        _events.Writer.TryWrite(obj);
                }
                catch (JsonException) { }
            }
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or InvalidOperationException) { }
        finally
        {
            _events.Writer.TryComplete();
        }
    }

    private async Task PumpStderrAsync()
    {
        try
        {
            while (await _process.StandardError.ReadLineAsync() is { } line)
                lock (_stderrTail)
                {
                    _stderrTail.Enqueue(line);
                    while (_stderrTail.Count > 40) _stderrTail.Dequeue();
                }
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or InvalidOperationException) { }
    }

    private static string SafeExitCode(Process p)
    {
        try { return p.HasExited ? p.ExitCode.ToString() : "still running"; }
        catch (InvalidOperationException) { return "unknown"; }
    }

    /// <summary>Every kernel this process started and has not yet ended, killed on Ctrl+C, SIGTERM and process exit.</summary>
    internal static class LiveKernels
    {
        private static readonly HashSet<StdioKernel> Kernels = [];
        private static int _hooked;

        public static void Add(StdioKernel k)
        {
            lock (Kernels) Kernels.Add(k);
            if (Interlocked.Exchange(ref _hooked, 1) == 0)
            {
                AppDomain.CurrentDomain.ProcessExit += (_, _) => KillAll();
                AppDomain.CurrentDomain.UnhandledException += (_, _) => KillAll();
                Console.CancelKeyPress += (_, _) => KillAll();
            }
        }

        public static void Remove(StdioKernel k)
        {
            lock (Kernels) Kernels.Remove(k);
        }

        public static void KillAll()
        {
            StdioKernel[] all;
            lock (Kernels) all = Kernels.ToArray();
            foreach (var k in all) k.Kill();
        }
    }
}

/// <summary>The kernel could not be started or stopped working.</summary>
public sealed class KernelException(string message) : Exception(message);

/// <summary>One event line of the kernel: its type, its payload and the token of the command it belongs to.</summary>
public sealed record KernelEvent(string Type, JsonObject Event, string? Token)
{
    public static KernelEvent From(JsonObject envelope) => new(
        envelope["eventType"]?.GetValue<string>() ?? "",
        envelope["event"] as JsonObject ?? new JsonObject(),
        envelope["command"]?["token"]?.GetValue<string>());
}

/// <summary>What one SubmitCode produced.</summary>
/// <param name="Events">Every event of the command and its child commands, in order, without the final CommandSucceeded/Failed.</param>
/// <param name="Succeeded">True on CommandSucceeded.</param>
/// <param name="TimedOut">True when the runner stopped the kernel because the cell ran too long.</param>
/// <param name="ErrorMessage">CommandFailed's message, or why the cell did not finish.</param>
public sealed record SubmissionResult(IReadOnlyList<KernelEvent> Events, bool Succeeded, bool TimedOut, string? ErrorMessage);
