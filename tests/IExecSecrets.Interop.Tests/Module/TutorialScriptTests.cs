using System.Globalization;

namespace IExecSecrets.Interop.Tests.Module;

/// <summary>
/// The README's main job, examples/tutorial.ps1, run in a real PowerShell engine against the devnet with other
/// coefficients and x than the defaults: it must leave result.txt holding f(x) computed by the enclave app.
/// </summary>
[Collection(DevNetCollection.Name)]
public sealed class TutorialScriptTests(DevNetFixture fixture)
{
    [Theory]
    [InlineData("js", "3;-2;0;7", "4")]
    [InlineData("python", "0.5;1;-1;2", "-3")]
    public void Tutorial_WithOtherValues_LeavesResultTxtWithTheRightPolynomialValue(string language, string coefficients, string x)
    {
        var work = Directory.CreateTempSubdirectory("iexec-tutorial-").FullName;
        try
        {
            using var module = new ModuleHost(location: work);
            var script = Path.Combine(RepoPaths.Root, "examples", "tutorial.ps1");

            var run = module.Run("& $s -DevNetDirectory $d -WorkDirectory $w -Coefficients $c -X $x -Language $l",
                new Dictionary<string, object?> { ["s"] = script, ["d"] = fixture.Directory, ["w"] = work, ["c"] = coefficients, ["x"] = x, ["l"] = language });

            Assert.True(run.AllErrors.Count == 0, string.Join(Environment.NewLine, run.AllErrors));
            // The app developer secret is never echoed by the walk-through (x is, by design, part of result.txt).
            Assert.DoesNotContain(run.Output, item => item?.ToString()?.Contains(coefficients, StringComparison.Ordinal) == true);
            using var result = JsonDocument.Parse(File.ReadAllText(Path.Combine(work, "result", "result.txt")));
            Assert.Equal(decimal.Parse(x, CultureInfo.InvariantCulture), result.RootElement.GetProperty("x").GetDecimal());
            Assert.Equal(Polynomial(coefficients, x), result.RootElement.GetProperty("result").GetDecimal());
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    private static decimal Polynomial(string coefficients, string x)
    {
        var k = coefficients.Split(';').Select(part => decimal.Parse(part, CultureInfo.InvariantCulture)).ToArray();
        var v = decimal.Parse(x, CultureInfo.InvariantCulture);
        return k[0] * v * v * v + k[1] * v * v + k[2] * v + k[3];
    }
}
