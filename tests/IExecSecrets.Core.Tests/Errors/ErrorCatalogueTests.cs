using System.Reflection;
using System.Text.RegularExpressions;

namespace IExecSecrets.Core.Tests.Errors;

/// <summary>
/// The error catalogue (issue 14 item 4): one category and one default action per id, taken by every throw site;
/// DevNet throws none of the product's ids; docs/errors.md is the catalogue, regenerated.
/// </summary>
public sealed partial class ErrorCatalogueTests
{
    private static readonly string[] Ids = typeof(ErrorIds)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Where(f => f.IsLiteral && f.FieldType == typeof(string))
        .Select(f => (string)f.GetRawConstantValue()!)
        .ToArray();

    private static string Src => Path.Combine(RepoPaths.Root, "src");

    private static IEnumerable<(string File, string Text)> Sources(string folder) =>
        Directory.EnumerateFiles(folder, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Select(f => (Path.GetRelativePath(RepoPaths.Root, f), File.ReadAllText(f)));

    [Fact]
    public void EveryErrorId_HasExactlyOneEntry_WithAnAction_AndEveryEntryIsAnErrorId()
    {
        Assert.True(Ids.Length > 150, $"only {Ids.Length} ids found by reflection");
        var problems = new List<string>();
        foreach (var id in Ids)
        {
            var rows = ErrorCatalogue.Entries.Where(e => e.Id == id).ToList();
            if (rows.Count != 1) problems.Add($"{id}: {rows.Count} rows");
            if (rows.Any(r => string.IsNullOrWhiteSpace(r.Action) || !r.Action.TrimEnd().EndsWith('.'))) problems.Add($"{id}: action is not a sentence");
        }
        problems.AddRange(ErrorCatalogue.Entries.Where(e => !Ids.Contains(e.Id)).Select(e => $"{e.Id}: a row for no ErrorIds constant"));
        Assert.Empty(problems);
    }

    [Fact]
    public void IExecException_TakesItsCategoryAndDefaultActionFromTheCatalogue_ASiteActionWins()
    {
        var plain = new IExecException(ErrorIds.WalletNotConnected, "no wallet");
        var specific = new IExecException(ErrorIds.WalletNotConnected, "no wallet") { RecommendedAction = "Do this instead." };

        var row = ErrorCatalogue.Find(ErrorIds.WalletNotConnected)!;
        Assert.Equal(row.Category, plain.Category);
        Assert.Equal(row.Action, plain.RecommendedAction);
        Assert.Equal("Do this instead.", specific.RecommendedAction);
        // No public constructor lets a site choose a category.
        Assert.DoesNotContain(typeof(IExecException).GetConstructors(), c => c.GetParameters().Any(p => p.ParameterType == typeof(IExecErrorCategory)));
    }

    [Fact]
    public void EveryIdUsedInSrc_IsACatalogueId_AndNoSiteGivesALiteralIdOrACategory()
    {
        var problems = new List<string>();
        foreach (var (file, text) in Sources(Src))
        {
            foreach (Match m in IdUse().Matches(text))
            {
                if (ErrorCatalogue.Find(m.Groups[1].Value) is null) problems.Add($"{file}: ErrorIds.{m.Groups[1].Value} has no catalogue row");
            }
            if (LiteralId().IsMatch(text)) problems.Add($"{file}: an IExecException with a literal id");
            if (file.Contains($"Core{Path.DirectorySeparatorChar}Errors", StringComparison.Ordinal)) continue;
            // Outside the catalogue a category is only read (the module's mapper), never given.
            foreach (Match m in CategoryGiven().Matches(text)) problems.Add($"{file}: gives {m.Value}");
        }
        Assert.Empty(problems);
    }

    [Fact]
    public void DevNet_ThrowsNoProductError()
    {
        var problems = Sources(Path.Combine(Src, "IExecSecrets.DevNet"))
            .Where(s => ProductThrow().IsMatch(s.Text))
            .Select(s => $"{s.File}: {ProductThrow().Match(s.Text).Value}")
            .ToList();
        Assert.Empty(problems);
    }

    [Fact]
    public void ErrorsDoc_IsTheCatalogue()
    {
        var path = Path.Combine(RepoPaths.Root, "docs", "errors.md");
        var expected = RenderDoc();
        // IEXEC_UPDATE_ERRORS_DOC=1 rewrites the file first (then commit it); without it a stale copy fails here.
        if (Environment.GetEnvironmentVariable("IEXEC_UPDATE_ERRORS_DOC") == "1") File.WriteAllText(path, expected);
        Assert.True(File.Exists(path), "docs/errors.md is missing: run the Core tests with IEXEC_UPDATE_ERRORS_DOC=1");
        Assert.True(expected == File.ReadAllText(path).ReplaceLineEndings("\n"),
            "docs/errors.md is stale: run `IEXEC_UPDATE_ERRORS_DOC=1 dotnet test tests/IExecSecrets.Core.Tests --filter ErrorsDoc_IsTheCatalogue` and commit it");
    }

    /// <summary>The generator of docs/errors.md: the catalogue's rows in the order of <see cref="ErrorIds"/>.</summary>
    internal static string RenderDoc()
    {
        var text = new StringBuilder();
        text.Append("# Error ids\n\n")
            .Append("Every error this module writes has a stable id (the first part of `FullyQualifiedErrorId`, e.g.\n")
            .Append("`SecretNotFound,IExecSecrets.Commands.TestIExecRequesterSecretCommand`), exactly one category (the record's\n")
            .Append("`CategoryInfo.Category`, the PowerShell `ErrorCategory` of the same name) and a default recommended action\n")
            .Append("(`ErrorDetails.RecommendedAction`; where the module knows more about the case it says something more specific).\n")
            .Append("Match on the id in scripts:\n\n")
            .Append("```powershell\n")
            .Append("try { Push-IExecRequesterSecret -Name api-key -Value $value -ErrorAction Stop }\n")
            .Append("catch { if ($_.FullyQualifiedErrorId -like 'SecretAlreadyExists,*') { 'already there' } else { throw } }\n")
            .Append("```\n\n")
            .Append("Generated from `src/IExecSecrets.Core/Errors/ErrorCatalogue.cs` by `ErrorCatalogueTests.ErrorsDoc_IsTheCatalogue`\n")
            .Append("(`IEXEC_UPDATE_ERRORS_DOC=1` rewrites it); do not edit by hand.\n\n")
            .Append("| Id | Category | Default recommended action |\n")
            .Append("| --- | --- | --- |\n");
        foreach (var row in ErrorCatalogue.Entries)
        {
            text.Append("| `").Append(row.Id).Append("` | ").Append(row.Category).Append(" | ").Append(row.Action.Replace("|", "\\|", StringComparison.Ordinal)).Append(" |\n");
        }
        return text.ToString();
    }

    [GeneratedRegex(@"\bErrorIds\.(\w+)")]
    private static partial Regex IdUse();

    [GeneratedRegex(@"\b(IExecException|TransactionException)\((\s*TransactionExposure\.\w+,)?\s*""")]
    private static partial Regex LiteralId();

    [GeneratedRegex(@"IExecErrorCategory\.\w+\s*[,)]")]
    private static partial Regex CategoryGiven();

    [GeneratedRegex(@"new\s+(IExecException|TransactionException|RpcException)\s*\(")]
    private static partial Regex ProductThrow();
}
