using IExecSecrets.Core.Errors;

namespace IExecSecrets.Module.Tests;

/// <summary>
/// The module writes the catalogue's category and default action (issue 14 item 4): the category maps one to one to
/// the PowerShell <see cref="ErrorCategory"/> of the same name, and a record whose throw site gave no action carries the
/// catalogue's.
/// </summary>
public sealed class ErrorCatalogueMappingTests
{
    [Fact]
    public void EveryCategory_MapsToThePowerShellCategoryOfTheSameName_OneToOne()
    {
        var mapped = Enum.GetValues<IExecErrorCategory>().Select(c => (Core: c, PowerShell: IExecCmdlet.ToErrorCategory(c))).ToList();

        Assert.All(mapped, m => Assert.Equal(m.Core.ToString(), m.PowerShell.ToString()));
        Assert.Equal(mapped.Count, mapped.Select(m => m.PowerShell).Distinct().Count());
    }

    [Fact]
    public void ACmdletError_WithoutASiteAction_CarriesTheCatalogueCategoryAndAction()
    {
        using var host = new ModuleHost(withSecretManagement: false, location: Path.GetTempPath());

        var error = host.Run("Get-IExecTask -TaskId 0x1234").SingleError();

        var row = ErrorCatalogue.Find(ErrorIds.InvalidTaskId)!;
        Assert.Equal("InvalidTaskId,IExecSecrets.Commands.GetIExecTaskCommand", error.FullyQualifiedErrorId);
        Assert.Equal(IExecCmdlet.ToErrorCategory(row.Category), error.CategoryInfo.Category);
        Assert.Equal(ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
        Assert.Equal(row.Action, error.ErrorDetails.RecommendedAction);
    }
}
