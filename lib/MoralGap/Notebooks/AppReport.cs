using System.Collections;
using System.Globalization;
using System.Net;
using System.Reflection;
using System.Text;
using Markdig;
using Microsoft.Data.Analysis;

namespace MoralGap.Notebooks;

/// <summary>
/// What a chapter's file-based app (<c>notebooks/apps/NN-name.cs</c>, generated from the notebook by the runner's
/// <c>export</c> verb) uses instead of the notebook kernel: <c>-p Name=Value</c> parameters, the required-data skip,
/// and <see cref="Display"/>, which prints tables and reports as text (the same text the notebook shows), writes
/// figures as PNG files, and collects the chapter (headings, text, console output, tables, figures) into one
/// self-contained HTML report written by <see cref="Finish"/> to <c>--out DIR</c> (default <c>artifacts/apps/NN-name/</c>).
/// One chapter per process: the state is static, as the kernel's is.
/// </summary>
public static class AppReport
{
    /// <summary>Exit code of a command line that does not parse (unknown parameter, bad value), as the runner's <c>run</c>.</summary>
    public const int UsageError = 2;

    /// <summary>The report's file name inside the output folder.</summary>
    public const string ReportFileName = "index.html";

    private static readonly List<string> Blocks = [];
    private static readonly StringBuilder Pending = new();
    private static Dictionary<string, string> _overrides = new(StringComparer.Ordinal);
    private static string _chapter = "";
    private static string _outDir = "";
    private static TextWriter _console = Console.Out;
    private static int _figures;
    private static int _interactive;
    private static bool _finished;

    /// <summary>The chapter's name (the notebook's file name without extension).</summary>
    public static string Chapter => _chapter;

    /// <summary>The folder the report and figures are written to.</summary>
    public static string OutputDirectory => _outDir;

    /// <summary>
    /// Reads the command line: <c>-p</c>/<c>--parameter Name=Value</c> (repeatable; names from
    /// <paramref name="parameters"/>, the notebook's parameters cell), <c>--out</c>/<c>-o DIR</c>, <c>--help</c>.
    /// A wrong command line prints what is wrong and exits with <see cref="UsageError"/>. Console output from here on
    /// is also recorded into the report.
    /// </summary>
    /// <param name="chapter">The chapter's name, e.g. <c>06-value-diversity</c>.</param>
    /// <param name="args">The app's arguments.</param>
    /// <param name="parameters">The parameters a <c>-p</c> may set, e.g. <c>int Samples = 32</c> (type, name, default).</param>
    public static void Start(string chapter, string[] args, IReadOnlyList<string> parameters)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(chapter);
        ArgumentNullException.ThrowIfNull(args);
        _chapter = chapter;
        _overrides = new Dictionary<string, string>(StringComparer.Ordinal);
        string? outDir = null;
        // Three options only, so they are read by hand rather than through a command-line package the library does not otherwise need.
        for (var i = 0; i < args.Length; i++)
        {
            var a = args[i];
            if (a is "-h" or "--help" or "-?")
            {
                Console.Out.WriteLine(Usage(parameters));
                Environment.Exit(0);
            }
            else if (a is "-p" or "--parameter")
            {
                if (++i >= args.Length) Fail("-p expects Name=Value");
                var p = args[i];
                var eq = p.IndexOf('=');
                if (eq <= 0) Fail($"-p expects Name=Value, got '{p}'");
                var name = p[..eq].Trim();
                if (!parameters.Any(d => NameOf(d) == name))
                    Fail($"unknown parameter '{name}'. Known parameters: " + (parameters.Count == 0 ? "(none)" : string.Join(", ", parameters)));
                _overrides[name] = p[(eq + 1)..]; // the last one of a name wins, as in the runner's injected cell
            }
            else if (a is "-o" or "--out")
            {
                if (++i >= args.Length) Fail("--out expects a folder");
                outDir = args[i];
            }
            else Fail($"unexpected argument '{a}'");
        }
        _outDir = Path.GetFullPath(outDir ?? Path.Combine(MoralGap.Data.RepositoryRoot.Find(Environment.CurrentDirectory) ?? Environment.CurrentDirectory, "artifacts", "apps", chapter));
        Blocks.Clear();
        Pending.Clear();
        _figures = 0;
        _interactive = 0;
        _finished = false;
        _console = Console.Out;
        Console.SetOut(new RecordingWriter(_console));
        AppDomain.CurrentDomain.UnhandledException += (_, e) =>
        {
            Flush();
            Blocks.Add("<pre class=\"error\">" + WebUtility.HtmlEncode(e.ExceptionObject.ToString()) + "</pre>");
            WriteReport();
        };
    }

    private static string NameOf(string declaration) => declaration.Split('=')[0].Trim().Split(' ')[^1];

    private static string Usage(IReadOnlyList<string> parameters) =>
        $"{_chapter}: the chapter as a file-based app (generated from notebooks/{_chapter}.ipynb).\n" +
        $"Usage: dotnet run notebooks/apps/{_chapter}.cs -- [-p Name=Value ...] [--out DIR]\n" +
        $"  -p, --parameter Name=Value  set a parameter of the notebook's parameters cell (repeatable)\n" +
        $"  -o, --out DIR               where the report ({ReportFileName}) and figures go (default artifacts/apps/{_chapter}/)\n" +
        "Parameters:\n" + string.Concat(parameters.Select(p => $"  {p}\n")) +
        "Exit codes: 0 done (also when required data is absent: the chapter is skipped); 2 usage error; other: the chapter failed.";

    [System.Diagnostics.CodeAnalysis.DoesNotReturn]
    private static void Fail(string message)
    {
        Console.Error.WriteLine($"{_chapter}: {message}");
        Environment.Exit(UsageError);
    }

    /// <summary>
    /// The value of a parameter: the last <c>-p Name=Value</c> given, read as <typeparamref name="T"/> (numbers in the
    /// invariant culture, '.' as decimal point; bool as true/false; <c>null</c> for a nullable type), else <paramref name="defaultValue"/>.
    /// A value that is not a <typeparamref name="T"/> prints the error and exits with <see cref="UsageError"/>.
    /// </summary>
    public static T Parameter<T>(string name, T defaultValue)
    {
        if (!_overrides.TryGetValue(name, out var text)) return defaultValue;
        var type = Nullable.GetUnderlyingType(typeof(T)) ?? typeof(T);
        if (text == "null" && (!typeof(T).IsValueType || Nullable.GetUnderlyingType(typeof(T)) is not null)) return default!;
        var inv = CultureInfo.InvariantCulture;
        object? value = type switch
        {
            _ when type == typeof(string) => text,
            _ when type == typeof(char) => text.Length == 1 ? text[0] : null,
            _ when type == typeof(bool) => bool.TryParse(text, out var b) ? b : null,
            _ when type == typeof(int) => int.TryParse(text, NumberStyles.Integer, inv, out var i) ? i : null,
            _ when type == typeof(long) => long.TryParse(text, NumberStyles.Integer, inv, out var l) ? l : null,
            _ when type == typeof(double) => double.TryParse(text, NumberStyles.Float, inv, out var d) && double.IsFinite(d) ? d : null,
            _ when type == typeof(float) => float.TryParse(text, NumberStyles.Float, inv, out var f) && float.IsFinite(f) ? f : null,
            _ when type == typeof(decimal) => decimal.TryParse(text, NumberStyles.Float, inv, out var m) ? m : null,
            _ when type.IsEnum => Enum.TryParse(type, text, ignoreCase: false, out var e) ? e : null,
            _ => throw new NotSupportedException($"{_chapter}: parameter '{name}' is {type.Name}, which cannot be set from the command line"),
        };
        if (value is null) Fail($"parameter '{name}' is {KeywordOf(type)}; '{text}' is not {Expected(type)}");
        return (T)value;
    }

    // The runner's words for a value of the wrong type (ParameterCell.RenderValue), so both say the same.
    private static string KeywordOf(Type type) => type == typeof(string) ? "string" : type == typeof(char) ? "char" : type == typeof(bool) ? "bool"
        : type == typeof(int) ? "int" : type == typeof(long) ? "long" : type == typeof(double) ? "double" : type == typeof(float) ? "float"
        : type == typeof(decimal) ? "decimal" : type.Name;

    private static string Expected(Type type) => type == typeof(char) ? "one character" : type == typeof(bool) ? "true or false"
        : type == typeof(int) ? "an int" : type == typeof(long) ? "a long"
        : type == typeof(double) || type == typeof(float) ? "a finite number (use '.' as decimal point)"
        : type == typeof(decimal) ? "a decimal number (use '.' as decimal point)" : "a " + type.Name;

    /// <summary>
    /// Data the chapter needs from outside the repository (the notebook's <c>metadata.moralgap.requires</c>): when a path
    /// named by a parameter's value (see <see cref="RequiredData.SplitPaths"/>) is absent, prints the runner's skip
    /// line for this app and exits with 0 (a skip is not a failure), writing nothing.
    /// </summary>
    public static void Requires(params (string Parameter, string Value)[] required)
    {
        var root = MoralGap.Data.RepositoryRoot.Find(Environment.CurrentDirectory) ?? Environment.CurrentDirectory;
        var missing = required.SelectMany(r => RequiredData.SplitPaths(r.Parameter, r.Value)).Where(p => !p.Exists(root)).ToList();
        if (missing.Count == 0) return;
        _console.WriteLine(RequiredData.SkipLine(_chapter + ".cs", missing));
        _console.Flush();
        Environment.Exit(0);
    }

    /// <summary>A markdown cell: its headings are printed; the whole text goes into the report as HTML.</summary>
    public static void Markdown(string markdown)
    {
        ArgumentNullException.ThrowIfNull(markdown);
        Flush();
        foreach (var line in markdown.Split('\n'))
            if (line.TrimStart().StartsWith('#')) _console.WriteLine("\n" + line.Trim());
        Blocks.Add(Markdig.Markdown.ToHtml(markdown, MarkdownPipeline));
    }

    private static readonly MarkdownPipeline MarkdownPipeline = new MarkdownPipelineBuilder().UseAdvancedExtensions().Build();

    /// <summary>
    /// What a notebook cell displays: a table (<see cref="DataFrame"/>, or a sequence of records shown as one) as aligned
    /// text; a figure (<see cref="Figure"/>, <see cref="ChartSpec"/>, a ScottPlot <c>Plot</c>) as a PNG file in the
    /// output folder; an interactive chart (<see cref="PlotlyView"/>) as a standalone page there; a banner or any other
    /// value as its text. Each also goes into the report.
    /// </summary>
    public static void Display(object? value)
    {
        Flush();
        switch (value)
        {
            case null:
                return;
            case Figure figure:
                AddFigure(figure.ToPng());
                return;
            case ScottPlot.Plot plot:
                AddFigure(Figures.ToPng(plot));
                return;
            case ChartSpec spec:
                AddFigure(spec.ToFigure().ToPng());
                return;
            case PlotlyView view:
                var page = view.SaveHtml(_outDir, $"interactive-{++_interactive:00}");
                _console.WriteLine($"interactive figure: {Relative(page)}");
                Blocks.Add($"<p><a href=\"{WebUtility.HtmlEncode(Path.GetFileName(page))}\">Interactive figure: {WebUtility.HtmlEncode(view.Spec.Title)}</a></p>");
                return;
            case Banner banner:
                _console.WriteLine(banner.ToString());
                Blocks.Add(banner.ToHtml());
                return;
            case DataFrame frame:
                AddTable(frame);
                return;
            case string text:
                AddText(text);
                return;
            case IEnumerable sequence when RecordsOf(sequence) is { } frame:
                AddTable(frame);
                return;
            default:
                AddText(value.ToString() ?? "");
                return;
        }
    }

    /// <summary>Writes the report (<see cref="ReportFileName"/> in the output folder) and prints its path.</summary>
    /// <returns>The report's full path.</returns>
    public static string Finish()
    {
        Flush();
        var path = WriteReport();
        _finished = true;
        Console.SetOut(_console);
        _console.WriteLine($"\nreport: {Relative(path)}");
        _console.Flush();
        return path;
    }

    private static string WriteReport()
    {
        if (_finished) return Path.Combine(_outDir, ReportFileName);
        Directory.CreateDirectory(_outDir);
        var title = WebUtility.HtmlEncode(_chapter);
        var html = new StringBuilder("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>").Append(title)
            .Append("</title>\n<style>").Append(Style).Append("</style></head>\n<body>\n");
        foreach (var b in Blocks) html.Append(b).Append('\n');
        html.Append("</body></html>\n");
        var path = Path.Combine(_outDir, ReportFileName);
        File.WriteAllText(path, html.ToString());
        return path;
    }

    private const string Style =
        "body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;line-height:1.45}" +
        "pre{background:#f6f8fa;padding:.6rem;white-space:pre-wrap;font-size:.85rem}table{border-collapse:collapse;font-size:.85rem}" +
        "td,th{border:1px solid #ccc;padding:.2rem .5rem;text-align:left}figure{margin:1rem 0}img{max-width:100%}" +
        "pre.error{background:#fdecea;color:#611a15}";

    private static void AddFigure(byte[] png)
    {
        _figures++;
        Directory.CreateDirectory(_outDir);
        var file = Path.Combine(_outDir, $"figure-{_figures:00}.png");
        File.WriteAllBytes(file, png);
        _console.WriteLine($"figure: {Relative(file)}");
        Blocks.Add($"<figure><img alt=\"figure {_figures}\" src=\"data:image/png;base64,{Convert.ToBase64String(png)}\"></figure>");
    }

    private static void AddTable(DataFrame frame)
    {
        _console.WriteLine(Tables.ToText(frame));
        Blocks.Add(Tables.ToHtml(frame));
    }

    private static void AddText(string text)
    {
        _console.WriteLine(text);
        Blocks.Add("<pre>" + WebUtility.HtmlEncode(text) + "</pre>");
    }

    /// <summary>A sequence of records (anything but strings and numbers) as a DataFrame through <see cref="Tables.FromRecords{T}"/>; null otherwise.</summary>
    private static DataFrame? RecordsOf(IEnumerable sequence)
    {
        var element = sequence.GetType().GetInterfaces().Append(sequence.GetType())
            .FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEnumerable<>))?.GetGenericArguments()[0];
        if (element is null || element.IsPrimitive || element == typeof(string) || element == typeof(decimal)) return null;
        var fromRecords = typeof(Tables).GetMethod(nameof(Tables.FromRecords), BindingFlags.Public | BindingFlags.Static)!.MakeGenericMethod(element);
        return (DataFrame)fromRecords.Invoke(null, [sequence])!;
    }

    private static string Relative(string path)
    {
        var relative = Path.GetRelativePath(Environment.CurrentDirectory, path);
        return relative.StartsWith("..", StringComparison.Ordinal) ? path : relative;
    }

    /// <summary>Moves console text written since the last block into the report as one preformatted block.</summary>
    private static void Flush()
    {
        lock (Pending)
        {
            if (Pending.Length == 0) return;
            Blocks.Add("<pre>" + WebUtility.HtmlEncode(Pending.ToString().TrimEnd('\n')) + "</pre>");
            Pending.Clear();
        }
    }

    /// <summary>Writes through to the console and keeps a copy for the report.</summary>
    private sealed class RecordingWriter(TextWriter inner) : TextWriter
    {
        public override Encoding Encoding => inner.Encoding;

        public override void Write(char value)
        {
            inner.Write(value);
            lock (Pending) Pending.Append(value);
        }

        public override void Write(string? value)
        {
            inner.Write(value);
            lock (Pending) Pending.Append(value);
        }

        public override void Write(char[] buffer, int index, int count)
        {
            inner.Write(buffer, index, count);
            lock (Pending) Pending.Append(buffer, index, count);
        }

        public override void Flush() => inner.Flush();
    }
}
