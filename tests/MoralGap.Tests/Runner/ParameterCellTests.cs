using MoralGap.Runner.Notebooks;

namespace MoralGap.Tests.Runner;

public sealed class ParameterCellTests
{
    private const string Cell = """
        // Parameters
        var Samples = 32;
        string Model = "simulated";   // the judge
        double Temperature = 0.7;
        bool UseProfiles = true;
        var Alpha = 2.5;
        var Seed = 12L;
        var Name = "x";
        Provider Kind = Provider.Simulated;
        Console.WriteLine("not a declaration");
        """;

    [Fact]
    public void DeclarationsAreParsedWithTheirTypes()
    {
        var p = ParameterCell.Parse(Cell);
        Assert.Equal(
            ["int Samples", "string Model", "double Temperature", "bool UseProfiles", "double Alpha", "long Seed", "string Name", "Provider Kind"],
            p.Select(x => $"{x.Type} {x.Name}"));
        Assert.Equal("\"simulated\"", p[1].DefaultExpression);
    }

    [Fact]
    public void OverridesAreRenderedAsTypedCSharp()
    {
        var p = ParameterCell.Parse(Cell);
        var code = ParameterCell.RenderInjectedCell(p,
        [
            new("Samples", "64"), new("Model", "gpt \"4o\"\\mini\n"), new("Temperature", "1e-3"),
            new("UseProfiles", "False"), new("Alpha", "3"), new("Seed", "7"), new("Kind", "Provider.Real"),
        ], "nb.ipynb");
        Assert.Equal("""
            // Parameters injected by MoralGap.Runner (-p Name=Value)
            Samples = 64;
            Model = "gpt \"4o\"\\mini\n";
            Temperature = 0.001d;
            UseProfiles = false;
            Alpha = 3d;
            Seed = 7L;
            Kind = Provider.Real;

            """.Replace("\r\n", "\n"), code);
    }

    [Fact]
    public void AnUnknownNameListsTheKnownParameters()
    {
        var e = Assert.Throws<ArgumentException>(() =>
            ParameterCell.RenderInjectedCell(ParameterCell.Parse(Cell), [new("Sample", "1")], "03-gap.ipynb"));
        Assert.StartsWith("03-gap.ipynb: unknown parameter 'Sample'. Known parameters: int Samples = 32, string Model = \"simulated\"", e.Message);
    }

    [Theory]
    [InlineData("Samples", "3.5", "is int; '3.5' is not an int")]
    [InlineData("Temperature", "0,7", "is double; '0,7' is not a finite number")]
    [InlineData("UseProfiles", "yes", "is bool; 'yes' is not true or false")]
    public void AValueOfTheWrongTypeIsRejected(string name, string value, string message)
    {
        var e = Assert.Throws<ArgumentException>(() =>
            ParameterCell.RenderInjectedCell(ParameterCell.Parse(Cell), [new(name, value)], "nb.ipynb"));
        Assert.Contains(message, e.Message);
    }

    [Fact]
    public void StringLiteralsEscapeControlCharacters() =>
        Assert.Equal("\"a\\tb\\u0001\\\"\"", ParameterCell.StringLiteral("a\tb\u0001\""));
}
