using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;

namespace MoralGap.Tests.Runner;

/// <summary>Runs the runner's CLI in-process and reads what it wrote.</summary>
public static class RunnerHarness
{
    public static string Fixtures => Path.Combine(TestPaths.RepoRoot, "tests", "MoralGap.Tests", "Runner", "Fixtures");

    public static string Fixture(string name) => Path.Combine(Fixtures, name);

    public static string NewTempFolder(string label)
    {
        var dir = Path.Combine(Path.GetTempPath(), "moralgap-runner-tests", $"{label}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        return dir;
    }

    /// <summary>Invokes <c>MoralGap.Runner</c> with <paramref name="args"/>; returns the exit code and everything printed.</summary>
    public static async Task<CliRun> InvokeAsync(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var sw = Stopwatch.StartNew();
        var code = await MoralGap.Runner.Program.InvokeAsync(args, TextWriter.Synchronized(output), TextWriter.Synchronized(error));
        return new CliRun(code, output.ToString(), error.ToString(), sw.Elapsed);
    }

    /// <summary>
    /// Starts the built runner as a child process (<c>dotnet MoralGap.Runner.dll ARGS</c>) against the loopback
    /// <paramref name="server"/> as an OpenAI-compatible provider with <paramref name="key"/> and <paramref name="model"/>,
    /// the environment's other provider variables removed; every line it prints goes to <paramref name="log"/>
    /// (standard error prefixed <c>stderr: </c>). For tests that kill a run and start it again.
    /// </summary>
    public static Process StartRunnerProcess(MoralGap.Tests.Llm.FakeOpenAIServer server, string key, string model, StringBuilder log, params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "MoralGap.Runner.dll"));
        foreach (var a in args) psi.ArgumentList.Add(a);
        foreach (var name in psi.Environment.Keys.Where(k => k.StartsWith("AZURE_OPENAI", StringComparison.Ordinal) || k.StartsWith("OPENAI_", StringComparison.Ordinal)).ToList())
            psi.Environment.Remove(name);
        psi.Environment["OPENAI_BASE_URL"] = server.BaseUrl.ToString();
        psi.Environment["OPENAI_API_KEY"] = key;
        psi.Environment["MORALGAP_MODELS"] = model;
        var process = new Process { StartInfo = psi };
        process.OutputDataReceived += (_, e) => { if (e.Data is { } line) lock (log) log.AppendLine(line); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is { } line) lock (log) log.AppendLine("stderr: " + line); };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    public static JsonObject ReadNotebook(string path) => (JsonObject)JsonNode.Parse(File.ReadAllText(path))!;

    public static JsonArray Cells(JsonObject nb) => (JsonArray)nb["cells"]!;

    /// <summary>All text of a cell's outputs (stream text, every text/* mime value, error traceback), joined.</summary>
    public static string OutputText(JsonNode cell) => string.Join("\n",
        ((JsonArray?)cell["outputs"] ?? []).Select(o => o!["output_type"]!.GetValue<string>() switch
        {
            "stream" => Join(o["text"]),
            "error" => o["ename"] + ": " + o["evalue"] + "\n" + Join(o["traceback"]),
            _ => string.Join("\n", ((JsonObject)o["data"]!).Where(kv => kv.Key.StartsWith("text/")).Select(kv => Join(kv.Value))),
        }));

    private static string Join(JsonNode? n) => n is JsonArray a ? string.Concat(a.Select(x => x!.GetValue<string>())) : n?.GetValue<string>() ?? "";

    /// <summary>
    /// True while the process exists and is not a zombie (Linux: /proc/PID/stat state; elsewhere Process.HasExited).
    /// </summary>
    public static bool IsAlive(int pid)
    {
        if (OperatingSystem.IsLinux())
        {
            try
            {
                var stat = File.ReadAllText($"/proc/{pid}/stat");
                var state = stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[0];
                return state is not ("Z" or "X");
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return false;
            }
        }
        try
        {
            using var p = Process.GetProcessById(pid);
            return !p.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}

public sealed record CliRun(int ExitCode, string Output, string Error, TimeSpan Elapsed)
{
    public override string ToString() => $"exit {ExitCode} after {Elapsed.TotalSeconds:0.0} s\n--- stdout\n{Output}\n--- stderr\n{Error}";
}
