using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;

namespace MoralGap.Runner.Notebooks;

/// <summary>
/// Turns a notebook into a .NET 10 file-based app (<c>dotnet run notebooks/apps/NN-name.cs</c>) that runs the chapter
/// without a kernel. The app is a pure function of the notebook (and of where the app sits relative to
/// <c>lib/MoralGap</c>): the notebook is the one source of truth and the app is regenerated, never edited.
/// <list type="bullet">
/// <item>the setup cell (it loads MoralGap into the kernel) becomes <c>#:project</c> to lib/MoralGap;</item>
/// <item>markdown cells become <c>AppReport.Markdown("""…""")</c>: the text stays readable in the source, headings are printed, the whole goes into the HTML report;</item>
/// <item>the parameters cell's declarations read <c>-p Name=Value</c> (<c>AppReport.Parameter</c>), the runner's spelling;
/// data the notebook requires (<c>metadata.moralgap.requires</c>) is checked after them (<c>AppReport.Requires</c>);</item>
/// <item>in code cells, <c>using</c> directives move to the top of the file, <c>display(x)</c> and the bare last expression
/// (which the kernel displays) become <c>AppReport.Display(x)</c>, type declarations move to the end of the file;</item>
/// <item><c>#r "nuget: Name, Version"</c> becomes <c>#:package Name@Version</c>; cells for other kernels are kept as comments.</item>
/// </list>
/// Cells are parsed as C# script (as the kernel compiles them) with Roslyn, so the edits never touch strings or comments.
/// </summary>
public static class AppExporter
{
    /// <summary>The folder, beside the notebooks, that holds the apps.</summary>
    public const string AppsFolderName = "apps";

    /// <summary>The command that regenerates the apps (printed in every app's header and by <c>export --check</c>).</summary>
    public const string ExportCommandLine = "dotnet run --project lib/MoralGap.Runner -c Release -- export";

    private static readonly CSharpParseOptions ScriptOptions = new(LanguageVersion.Preview, DocumentationMode.None, SourceCodeKind.Script);

    /// <summary>Where the app of <paramref name="notebookPath"/> goes: <c>apps/NN-name.cs</c> beside the notebook.</summary>
    public static string AppPath(string notebookPath) =>
        Path.Combine(Path.GetDirectoryName(Path.GetFullPath(notebookPath))!, AppsFolderName, Path.GetFileNameWithoutExtension(notebookPath) + ".cs");

    /// <summary>The app's source for a notebook inside the repository at <paramref name="repoRoot"/>.</summary>
    /// <exception cref="InvalidDataException">A cell does not parse as C# script, or a directive cannot be carried over (names notebook and cell).</exception>
    public static string Export(NotebookFile notebook, string repoRoot)
    {
        var name = Path.GetFileNameWithoutExtension(notebook.Path);
        var fileName = Path.GetFileName(notebook.Path);
        var appDir = Path.GetDirectoryName(AppPath(notebook.Path))!;
        var project = Path.GetRelativePath(appDir, Path.Combine(repoRoot, "lib", "MoralGap", "MoralGap.csproj")).Replace('\\', '/');
        var notebookRel = Path.GetRelativePath(repoRoot, Path.GetFullPath(notebook.Path)).Replace('\\', '/');
        var appRel = Path.GetRelativePath(repoRoot, AppPath(notebook.Path)).Replace('\\', '/');

        var usings = new List<string>();
        var packages = new List<string>();
        var types = new List<string>();
        var body = new StringBuilder();
        var parametersIndex = notebook.ParametersCellIndex();
        var declared = parametersIndex >= 0 ? ParameterCell.Parse(NotebookFile.Source(notebook.Cells[parametersIndex]!)) : [];
        var settable = declared.Where(p => IsSettable(p.Type)).ToList();
        var required = NotebookRequirements.RequiredParameters(notebook);

        var cells = notebook.Cells;
        for (var i = 0; i < cells.Count; i++)
        {
            var cell = cells[i]!;
            var number = i + 1; // 1-based, counting every cell, as the runner's messages do
            var source = NotebookFile.Source(cell).Replace("\r\n", "\n");
            if (string.IsNullOrWhiteSpace(source)) continue;
            switch (NotebookFile.CellType(cell))
            {
                case "markdown":
                    body.Append($"\n// cell {number} (markdown)\nAppReport.Markdown(").Append(RawString(source.TrimEnd('\n'))).Append(");\n");
                    break;
                case "code" when notebook.KernelName(cell) is not ("csharp" or "C#"):
                    body.Append($"\n// cell {number} ({notebook.KernelName(cell)}, not C#: kept as a comment)\n").Append(Comment(source));
                    break;
                case "code" when IsSetupCell(source):
                    body.Append($"\n// cell {number}: the notebook's setup cell loads MoralGap into the kernel; this app references lib/MoralGap with #:project instead.\n");
                    break;
                case "code" when i == parametersIndex:
                    body.Append($"\n// cell {number} (parameters: -p Name=Value on the command line)\n").Append(ParametersCode(source, settable));
                    if (required.Count > 0)
                        body.Append("AppReport.Requires(").Append(string.Join(", ", required.Select(r => $"(\"{r}\", {r})"))).Append(");\n");
                    break;
                case "code":
                    body.Append($"\n// cell {number}\n").Append(CodeCell(source, $"{fileName}, cell {number}", usings, packages, types));
                    break;
            }
        }

        var sb = new StringBuilder();
        sb.Append("// <auto-generated>\n");
        sb.Append($"// {name} as a .NET 10 file-based app, generated from {notebookRel} by\n");
        sb.Append($"//   {ExportCommandLine}\n");
        sb.Append("// Do not edit: edit the notebook and export again. Run from the repository root:\n");
        sb.Append($"//   dotnet run {appRel} -- [-p Name=Value ...] [--out DIR]\n");
        sb.Append($"// It prints the chapter's tables and text, writes its figures as PNG files and an HTML report to --out DIR (default artifacts/apps/{name}/).\n");
        sb.Append("// </auto-generated>\n");
        sb.Append($"#:project {project}\n");
        foreach (var p in packages) sb.Append($"#:package {p}\n");
        // The kernel compiles cells without nullable annotations; so does the app (no warnings the notebook does not show).
        sb.Append("#:property Nullable=disable\n");
        // File-based apps default to PublishAot, which turns off reflection-based System.Text.Json; the library uses it.
        sb.Append("#:property PublishAot=false\n");
        sb.Append('\n');
        foreach (var u in usings.Prepend("using MoralGap.Notebooks;").Distinct(StringComparer.Ordinal)) sb.Append(u).Append('\n');
        sb.Append('\n');
        sb.Append($"AppReport.Start({ParameterCell.StringLiteral(name)}, args, [{string.Join(", ", settable.Select(p => ParameterCell.StringLiteral(p.ToString())))}]);\n");
        sb.Append(body);
        sb.Append("\nAppReport.Finish();\n");
        foreach (var t in types) sb.Append('\n').Append(t.Trim('\n')).Append('\n');
        return sb.ToString();
    }

    /// <summary>True for the parameter types <c>AppReport.Parameter</c> reads from text.</summary>
    private static bool IsSettable(string type) => type.TrimEnd('?') is
        "string" or "String" or "char" or "bool" or "int" or "long" or "double" or "float" or "decimal";

    /// <summary>A setup cell talks to the kernel: it uses Microsoft.DotNet.Interactive or sends code to Kernel.Root.</summary>
    public static bool IsSetupCell(string source) =>
        source.Contains("Microsoft.DotNet.Interactive", StringComparison.Ordinal) || source.Contains("Kernel.Root", StringComparison.Ordinal);

    /// <summary>Each declaration line of the parameters cell reads its value from the command line; other lines are kept.</summary>
    private static string ParametersCode(string source, IReadOnlyList<NotebookParameter> settable)
    {
        var sb = new StringBuilder();
        foreach (var line in source.TrimEnd('\n').Split('\n'))
        {
            var parsed = ParameterCell.Parse(line);
            if (parsed.Count == 1 && settable.FirstOrDefault(p => p.Name == parsed[0].Name) is { } p)
            {
                var semicolon = line.IndexOf(';', line.IndexOf(p.DefaultExpression, StringComparison.Ordinal) + p.DefaultExpression.Length);
                var comment = semicolon >= 0 ? line[(semicolon + 1)..].TrimEnd() : "";
                sb.Append($"{p.Type} {p.Name} = AppReport.Parameter<{p.Type}>({ParameterCell.StringLiteral(p.Name)}, {p.DefaultExpression});{comment}\n");
            }
            else sb.Append(line).Append('\n');
        }
        return sb.ToString();
    }

    /// <summary>One C# cell as top-level statements of the app (see the class summary).</summary>
    private static string CodeCell(string source, string where, List<string> usings, List<string> packages, List<string> types)
    {
        // Kernel directives first: they are not C#.
        var lines = source.Split('\n');
        for (var l = 0; l < lines.Length; l++)
        {
            var t = lines[l].TrimStart();
            if (t.StartsWith("#r \"nuget:", StringComparison.Ordinal))
            {
                var spec = t["#r \"nuget:".Length..].TrimEnd().TrimEnd('"').Split(',', StringSplitOptions.TrimEntries);
                packages.Add(spec.Length > 1 && spec[1].Length > 0 ? $"{spec[0]}@{spec[1]}" : spec[0]);
                lines[l] = "// " + t;
            }
            else if (t.StartsWith("#!", StringComparison.Ordinal) || t.StartsWith("#i ", StringComparison.Ordinal) || t.StartsWith("#r ", StringComparison.Ordinal))
                throw new InvalidDataException($"{where}: the kernel directive '{t}' has no file-based app equivalent; load it in the setup cell or use #r \"nuget: Name, Version\"");
        }
        source = string.Join('\n', lines);

        var tree = CSharpSyntaxTree.ParseText(source, ScriptOptions);
        var errors = tree.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        if (errors.Count > 0)
            throw new InvalidDataException($"{where}: does not parse as C#: {errors[0].GetMessage()} (line {errors[0].Location.GetLineSpan().StartLinePosition.Line + 1})");
        var root = tree.GetCompilationUnitRoot();
        var edits = new List<(TextSpan Span, string Text)>();
        foreach (var u in root.Usings)
        {
            usings.Add(u.WithoutTrivia().ToString());
            edits.Add((TextSpan.FromBounds(u.SpanStart, u.FullSpan.End), ""));
        }
        foreach (var m in root.Members.Where(m => m is BaseTypeDeclarationSyntax or DelegateDeclarationSyntax or BaseNamespaceDeclarationSyntax))
        {
            types.Add(m.ToFullString());
            edits.Add((m.FullSpan, ""));
        }
        foreach (var call in root.DescendantNodes().OfType<InvocationExpressionSyntax>())
            if (call.Expression is IdentifierNameSyntax { Identifier.Text: "display" } id)
                edits.Add((id.Span, "AppReport.Display"));
        if (root.Members.LastOrDefault() is GlobalStatementSyntax { Statement: ExpressionStatementSyntax { SemicolonToken.IsMissing: true } last })
        {
            edits.Add((new TextSpan(last.Expression.SpanStart, 0), "AppReport.Display("));
            edits.Add((new TextSpan(last.Expression.Span.End, 0), ");"));
        }
        var text = new StringBuilder(source);
        foreach (var (span, replacement) in edits.OrderByDescending(e => e.Span.Start).ThenByDescending(e => e.Span.Length))
        {
            text.Remove(span.Start, span.Length);
            text.Insert(span.Start, replacement);
        }
        var code = string.Join('\n', text.ToString().Split('\n').Select(l => l.TrimEnd())).Trim('\n');
        return code.Length == 0 ? "" : code + "\n";
    }

    /// <summary>A raw string literal holding <paramref name="text"/> exactly, its closing quotes at the start of a line.</summary>
    public static string RawString(string text)
    {
        var longest = 0;
        for (int i = 0, run = 0; i < text.Length; i++)
        {
            run = text[i] == '"' ? run + 1 : 0;
            longest = Math.Max(longest, run);
        }
        var quotes = new string('"', Math.Max(3, longest + 1));
        return quotes + "\n" + text + "\n" + quotes;
    }

    private static string Comment(string source) =>
        string.Concat(source.TrimEnd('\n').Split('\n').Select(l => ("// " + l).TrimEnd() + "\n"));

    /// <summary>
    /// Exports every notebook given. With <paramref name="check"/>, writes nothing and returns the apps that are missing
    /// or differ from their notebook's export; otherwise writes the apps that differ and returns those it wrote.
    /// </summary>
    public static IReadOnlyList<string> ExportAll(IEnumerable<string> notebooks, string repoRoot, bool check)
    {
        var changed = new List<string>();
        foreach (var path in notebooks)
        {
            var source = Export(NotebookFile.Load(path), repoRoot);
            var app = AppPath(path);
            if (File.Exists(app) && File.ReadAllText(app) == source) continue;
            changed.Add(app);
            if (check) continue;
            Directory.CreateDirectory(Path.GetDirectoryName(app)!);
            File.WriteAllText(app, source, new UTF8Encoding(false));
        }
        return changed;
    }
}
