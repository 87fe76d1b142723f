using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace MoralGap.Runner.Notebooks;

/// <summary>
/// An .ipynb (nbformat 4) held as a <see cref="JsonNode"/> tree, so every field the runner does not know
/// (cell ids, metadata, attachments, notebook metadata) is written back exactly as it was read.
/// Only <c>outputs</c> and <c>execution_count</c> of code cells, and an injected parameters cell, are changed.
/// </summary>
public sealed class NotebookFile
{
    private readonly JsonObject _root;

    private NotebookFile(string path, JsonObject root)
    {
        Path = path;
        _root = root;
    }

    /// <summary>Where the notebook was read from.</summary>
    public string Path { get; }

    /// <summary>The notebook's cells, in order.</summary>
    public JsonArray Cells => _root["cells"] as JsonArray
        ?? throw new InvalidDataException($"{Path}: the notebook has no \"cells\" array");

    /// <summary>The notebook-level metadata object (kernelspec, polyglot_notebook, moralgap, ...); null when absent.</summary>
    public JsonObject? Metadata => _root["metadata"] as JsonObject;

    /// <summary>nbformat_minor (cell ids exist from 4.5 on).</summary>
    public int NbformatMinor => _root["nbformat_minor"]?.GetValue<int>() ?? 0;

    /// <summary>Reads an .ipynb; a clear error names the file when it is not a notebook.</summary>
    public static NotebookFile Load(string path)
    {
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(File.ReadAllText(path), documentOptions: new JsonDocumentOptions { AllowTrailingCommas = true });
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: not valid JSON (line {e.LineNumber + 1}): {e.Message}", e);
        }
        if (node is not JsonObject obj || obj["cells"] is not JsonArray)
            throw new InvalidDataException($"{path}: not a Jupyter notebook (no top-level \"cells\" array)");
        if (obj["nbformat"]?.GetValue<int>() is int major && major != 4)
            throw new InvalidDataException($"{path}: nbformat {major} is not supported (4 is)");
        return new NotebookFile(path, obj);
    }

    /// <summary>The index of the first code cell tagged <c>parameters</c> (papermill's defaults cell); -1 when there is none.</summary>
    public int ParametersCellIndex()
    {
        var cells = Cells;
        for (var i = 0; i < cells.Count; i++)
            if (CellType(cells[i]!) == "code" && Tags(cells[i]!).Contains(ParameterCell.ParametersTag))
                return i;
        return -1;
    }

    /// <summary>The cell's type: code, markdown or raw.</summary>
    public static string CellType(JsonNode cell) => cell["cell_type"]?.GetValue<string>() ?? "";

    /// <summary>The cell's source joined into one string (nbformat allows a string or a list of lines).</summary>
    public static string Source(JsonNode cell) => JoinText(cell["source"]);

    /// <summary>The cell's tags (metadata.tags).</summary>
    public static IReadOnlyList<string> Tags(JsonNode cell) =>
        cell["metadata"]?["tags"] is JsonArray tags
            ? tags.Select(t => t?.GetValue<string>() ?? "").ToArray()
            : [];

    /// <summary>
    /// The .NET Interactive kernel a code cell targets: cell metadata <c>polyglot_notebook.kernelName</c>
    /// or <c>dotnet_interactive.language</c>, else the notebook's default kernel, else csharp.
    /// </summary>
    public string KernelName(JsonNode cell) =>
        cell["metadata"]?["polyglot_notebook"]?["kernelName"]?.GetValue<string>()
        ?? cell["metadata"]?["dotnet_interactive"]?["language"]?.GetValue<string>()
        ?? _root["metadata"]?["polyglot_notebook"]?["kernelInfo"]?["defaultKernelName"]?.GetValue<string>()
        ?? "csharp";

    /// <summary>Clears the outputs and execution counts of every code cell (as papermill does before a run).</summary>
    public void ClearOutputs()
    {
        foreach (var cell in Cells.OfType<JsonObject>().Where(c => CellType(c) == "code"))
        {
            cell["outputs"] = new JsonArray();
            cell["execution_count"] = null;
        }
    }

    /// <summary>Sets a code cell's outputs and execution count.</summary>
    public static void SetOutputs(JsonNode cell, int? executionCount, IEnumerable<JsonObject> outputs)
    {
        cell["execution_count"] = executionCount;
        cell["outputs"] = new JsonArray(outputs.Select(o => (JsonNode)o).ToArray());
    }

    /// <summary>
    /// Inserts (or replaces) the papermill-style cell tagged <c>injected-parameters</c> right after the cell at
    /// <paramref name="parametersIndex"/>; returns the new cell's index.
    /// </summary>
    public int InjectParametersCell(int parametersIndex, string code)
    {
        var cells = Cells;
        for (var i = cells.Count - 1; i >= 0; i--)
            if (Tags(cells[i]!).Contains(ParameterCell.InjectedTag))
            {
                cells.RemoveAt(i);
                if (i < parametersIndex) parametersIndex--;
            }
        var cell = new JsonObject { ["cell_type"] = "code", ["execution_count"] = null };
        if (NbformatMinor >= 5 || cells.Any(c => c?["id"] is not null)) cell["id"] = "injected-parameters";
        cell["metadata"] = new JsonObject
        {
            ["polyglot_notebook"] = new JsonObject { ["kernelName"] = "csharp" },
            ["tags"] = new JsonArray(ParameterCell.InjectedTag),
        };
        cell["outputs"] = new JsonArray();
        cell["source"] = SplitLines(code.TrimEnd('\n'));
        cells.Insert(parametersIndex + 1, cell);
        return parametersIndex + 1;
    }

    /// <summary>Writes the notebook as Jupyter does: one-space indent, UTF-8 without BOM, no needless escapes, final newline.</summary>
    public void Save(string path)
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path))!);
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions
               {
                   Indented = true, IndentSize = 1, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
               }))
            _root.WriteTo(writer);
        stream.WriteByte((byte)'\n');
        var tmp = path + ".tmp";
        File.WriteAllBytes(tmp, stream.ToArray());
        File.Move(tmp, path, overwrite: true);
    }

    /// <summary>nbformat multiline text: a string or an array of strings, joined.</summary>
    public static string JoinText(JsonNode? text) => text switch
    {
        null => "",
        JsonArray lines => string.Concat(lines.Select(l => l?.GetValue<string>() ?? "")),
        _ => text.GetValue<string>(),
    };

    /// <summary>Splits text into nbformat's list of lines, each keeping its "\n" (the form Jupyter and VS Code write).</summary>
    public static JsonArray SplitLines(string text)
    {
        var lines = new JsonArray();
        var start = 0;
        for (var i = 0; i < text.Length; i++)
            if (text[i] == '\n')
            {
                lines.Add(text[start..(i + 1)]);
                start = i + 1;
            }
        if (start < text.Length) lines.Add(text[start..]);
        return lines;
    }

    internal static string Utf8Size(string text) => $"{Encoding.UTF8.GetByteCount(text) / 1024.0:0.#} KB";
}
