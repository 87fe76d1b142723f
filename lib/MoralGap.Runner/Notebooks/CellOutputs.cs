using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using MoralGap.Runner.Kernel;

namespace MoralGap.Runner.Notebooks;

/// <summary>
/// Turns the kernel events of one cell into nbformat 4.5 outputs (stream, display_data, execute_result, error),
/// made stable and small: volatile ids normalised, an output with image/png keeps only the PNG and text/plain,
/// and text outputs over <see cref="MaxTextBytes"/> are replaced by a short note.
/// </summary>
public static partial class CellOutputs
{
    /// <summary>Largest text output (UTF-8 bytes) written as is; larger ones (e.g. an HTML dump of a big object) are replaced by a note.</summary>
    public const int MaxTextBytes = 200 * 1024;

    /// <summary>Builds the outputs of a cell from its events and, when it failed, its error message.</summary>
    /// <param name="events">The cell's kernel events.</param>
    /// <param name="executionCount">The cell's execution count.</param>
    /// <param name="errorMessage">Why the cell failed, or null.</param>
    /// <param name="paths">Machine-specific path prefixes and what replaces them (see <see cref="MachinePaths"/>).</param>
    public static List<JsonObject> Build(IReadOnlyList<KernelEvent> events, int executionCount, string? errorMessage,
        IReadOnlyList<(string From, string To)>? paths = null)
    {
        paths ??= [];
        var outputs = new List<JsonObject>();
        var byValueId = new Dictionary<string, JsonObject>();
        var guidMap = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        string? errorProduced = null;
        foreach (var e in events)
        {
            switch (e.Type)
            {
                case "StandardOutputValueProduced":
                case "StandardErrorValueProduced":
                    AppendStream(outputs, e.Type == "StandardOutputValueProduced" ? "stdout" : "stderr", Normalize(PlainText(e.Event), guidMap, paths));
                    break;
                case "DisplayedValueProduced":
                case "ReturnValueProduced":
                {
                    var output = new JsonObject
                    {
                        ["output_type"] = e.Type == "ReturnValueProduced" ? "execute_result" : "display_data",
                        ["data"] = MimeBundle(e.Event, guidMap, paths),
                        ["metadata"] = new JsonObject(),
                    };
                    if (e.Type == "ReturnValueProduced") output["execution_count"] = executionCount;
                    outputs.Add(output);
                    if (e.Event["valueId"]?.GetValue<string>() is { Length: > 0 } id) byValueId[id] = output;
                    break;
                }
                case "DisplayedValueUpdated":
                    if (e.Event["valueId"]?.GetValue<string>() is { Length: > 0 } updated && byValueId.TryGetValue(updated, out var earlier))
                        earlier["data"] = MimeBundle(e.Event, guidMap, paths);
                    break;
                case "ErrorProduced":
                    errorProduced = e.Event["message"]?.GetValue<string>() ?? PlainText(e.Event);
                    break;
            }
        }
        if (errorMessage is not null || errorProduced is not null)
            outputs.Add(Error(Normalize(errorMessage ?? errorProduced!, guidMap, paths)));
        return outputs;
    }

    /// <summary>
    /// An nbformat error output from a .NET Interactive failure message: ename is the exception type
    /// (or CompilationError for compiler diagnostics), evalue its message, traceback the message's lines.
    /// </summary>
    public static JsonObject Error(string message)
    {
        message = message.Replace("\r\n", "\n").TrimEnd();
        var firstLine = message.Split('\n')[0];
        string ename, evalue;
        var ex = ExceptionHead().Match(firstLine);
        if (CompilerDiagnostic().IsMatch(firstLine))
            (ename, evalue) = ("CompilationError", firstLine);
        else if (ex.Success)
            (ename, evalue) = (ex.Groups["type"].Value, ex.Groups["message"].Value);
        else
            (ename, evalue) = ("Error", firstLine);
        return new JsonObject
        {
            ["output_type"] = "error",
            ["ename"] = ename,
            ["evalue"] = evalue,
            ["traceback"] = new JsonArray(message.Split('\n').Select(l => (JsonNode)l).ToArray()),
        };
    }

    /// <summary>
    /// Replaces what changes from run to run although the notebook did not: GUIDs (mapped in order of first
    /// appearance to 00000000-0000-0000-0000-00000000000N, consistently within a cell, so an HTML element id and the
    /// script that refers to it still match), kernel URIs <c>kernel://pid-N</c>, and the timestamped version
    /// suffix of the locally packed library (0.1.0-local.yyyyMMddHHmmss), and machine-specific path prefixes
    /// (<paramref name="paths"/>, e.g. the repository root becomes a path relative to the notebook).
    /// </summary>
    public static string Normalize(string text, Dictionary<string, string> guidMap, IReadOnlyList<(string From, string To)>? paths = null)
    {
        foreach (var (from, to) in paths ?? [])
            if (from.Length > 1) text = text.Replace(from, to, StringComparison.Ordinal);
        string Stable(string guid)
        {
            var key = guid.Replace("-", "");
            if (!guidMap.TryGetValue(key, out var stable))
                guidMap[key] = stable = $"00000000-0000-0000-0000-{guidMap.Count + 1:D12}";
            return guid.Contains('-') ? stable : stable.Replace("-", "");
        }
        // Undashed 32-hex GUIDs only where they name an HTML element (id="..."), and then everywhere they recur.
        foreach (Match m in HexIdAttribute().Matches(text)) Stable(m.Value);
        text = DashedGuid().Replace(text, m => Stable(m.Value));
        text = HexToken().Replace(text, m => guidMap.ContainsKey(m.Value) ? Stable(m.Value) : m.Value);
        text = KernelPid().Replace(text, "kernel://pid-0");
        text = LocalPackageVersion().Replace(text, "${v}-local");
        return text;
    }

    private static JsonObject MimeBundle(JsonObject e, Dictionary<string, string> guidMap, IReadOnlyList<(string From, string To)> paths)
    {
        var values = new List<(string Mime, string Value)>();
        if (e["formattedValues"] is JsonArray fvs)
            foreach (var fv in fvs.OfType<JsonObject>())
            {
                var mime = fv["mimeType"]?.GetValue<string>();
                var value = fv["value"]?.GetValue<string>() ?? "";
                if (mime is null || values.Any(v => v.Mime == mime)) continue;
                values.Add((mime, value));
            }

        // A figure: keep only the image and its plain-text fallback (no HTML wrapper carrying the same PNG again).
        if (values.Any(v => v.Mime == "image/png"))
            values = values.Where(v => v.Mime is "image/png" or "text/plain").ToList();

        var data = new JsonObject();
        foreach (var (mime, raw) in values)
        {
            if (mime.StartsWith("image/", StringComparison.Ordinal) && mime != "image/svg+xml")
            {
                data[mime] = raw.Replace("\n", "").Replace("\r", ""); // base64, one string as Jupyter writes it
                continue;
            }
            var value = Normalize(raw, guidMap, paths);
            var bytes = Encoding.UTF8.GetByteCount(value);
            if (bytes > MaxTextBytes)
            {
                var note = $"[{mime} output of {bytes / 1024.0:0} KB left out by MoralGap.Runner (limit {MaxTextBytes / 1024} KB): "
                    + "display a summary (e.g. the first rows, or a figure) instead of the whole object]";
                if (mime == "text/plain") data[mime] = note;
                else if (!values.Any(v => v.Mime == "text/plain")) data["text/plain"] = note;
                continue;
            }
            data[mime] = mime.EndsWith("json", StringComparison.Ordinal) && TryParseJson(value) is { } json
                ? json
                : NotebookFile.SplitLines(value);
        }
        return data;
    }

    /// <summary>
    /// The path prefixes that differ between machines and clones, in the order they are replaced: the repository root (as a path
    /// relative to the notebook's folder, e.g. "../", when the notebook is inside it), then the user's home folder ("~/"), each with a trailing separator.
    /// </summary>
    public static IReadOnlyList<(string From, string To)> MachinePaths(string repoRoot, string notebookFolder)
    {
        var sep = Path.DirectorySeparatorChar;
        var list = new List<(string From, string To)>();
        var root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(repoRoot));
        var folder = Path.TrimEndingDirectorySeparator(Path.GetFullPath(notebookFolder));
        if (folder == root || folder.StartsWith(root + sep, StringComparison.Ordinal))
        {
            var relative = Path.GetRelativePath(folder, root);
            list.Add((root + sep, relative == "." ? "." + sep : relative + sep));
        }
        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        // Applied after the repository root, so a repository inside the home folder still becomes relative.
        if (home.Length > 1) list.Add((Path.TrimEndingDirectorySeparator(home) + sep, "~" + sep));
        return list;
    }

    private static JsonNode? TryParseJson(string value)
    {
        try { return JsonNode.Parse(value); }
        catch (System.Text.Json.JsonException) { return null; }
    }

    private static string PlainText(JsonObject e) =>
        (e["formattedValues"] as JsonArray)?.OfType<JsonObject>()
            .FirstOrDefault(f => f["mimeType"]?.GetValue<string>() == "text/plain")?["value"]?.GetValue<string>()
        ?? (e["formattedValues"] as JsonArray)?.OfType<JsonObject>().FirstOrDefault()?["value"]?.GetValue<string>()
        ?? "";

    private static void AppendStream(List<JsonObject> outputs, string name, string text)
    {
        if (text.Length == 0) return;
        // Consecutive writes to one stream form one output, as Jupyter shows them.
        if (outputs.Count > 0 && outputs[^1]["output_type"]?.GetValue<string>() == "stream" && outputs[^1]["name"]?.GetValue<string>() == name)
        {
            var joined = NotebookFile.JoinText(outputs[^1]["text"]) + text;
            outputs[^1]["text"] = NotebookFile.SplitLines(joined);
            return;
        }
        outputs.Add(new JsonObject { ["output_type"] = "stream", ["name"] = name, ["text"] = NotebookFile.SplitLines(text) });
    }

    [GeneratedRegex(@"\b[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\b")]
    private static partial Regex DashedGuid();

    [GeneratedRegex(@"(?<=\bid=[""']?)[0-9a-fA-F]{32}\b")]
    private static partial Regex HexIdAttribute();

    [GeneratedRegex(@"\b[0-9a-fA-F]{32}\b")]
    private static partial Regex HexToken();

    [GeneratedRegex(@"kernel://pid-\d+")]
    private static partial Regex KernelPid();

    [GeneratedRegex(@"(?<v>\b\d+\.\d+\.\d+)-local\.\d{14}\b")]
    private static partial Regex LocalPackageVersion();

    [GeneratedRegex(@"^\(\d+,\d+\): error [A-Z]+\d+:")]
    private static partial Regex CompilerDiagnostic();

    [GeneratedRegex(@"^(?<type>[A-Za-z_][\w.`]*(?:Exception|Error))(?::\s*(?<message>.*))?$")]
    private static partial Regex ExceptionHead();
}
