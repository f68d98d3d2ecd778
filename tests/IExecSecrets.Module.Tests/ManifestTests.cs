using System.Reflection;
using IExecSecrets.Commands;

namespace IExecSecrets.Module.Tests;

public sealed class ManifestTests
{
    private static readonly Assembly ModuleAssembly = typeof(IExecCmdlet).Assembly;

    [Fact]
    public void CmdletsToExport_EqualsCmdletClassesByReflection()
    {
        using var host = new ModuleHost();

        var result = host.Run($"(Test-ModuleManifest -Path '{ModuleHost.ManifestPath}').ExportedCmdlets.Keys").ThrowIfFailed();

        var exported = result.Output.Select(o => o.BaseObject.ToString()!).OrderBy(n => n, StringComparer.Ordinal).ToArray();
        var classes = ModuleAssembly.GetTypes()
            .Select(t => t.GetCustomAttribute<CmdletAttribute>())
            .Where(a => a is not null)
            .Select(a => $"{a!.VerbName}-{a.NounName}")
            .OrderBy(n => n, StringComparer.Ordinal)
            .ToArray();
        Assert.NotEmpty(classes);
        Assert.Equal(classes, exported);
    }

    [Fact]
    public void ModuleVersion_EqualsAssemblyVersion()
    {
        using var host = new ModuleHost();

        var result = host.Run($"(Test-ModuleManifest -Path '{ModuleHost.ManifestPath}').Version.ToString()").ThrowIfFailed();

        var assemblyVersion = ModuleAssembly.GetName().Version!;
        Assert.Equal($"{assemblyVersion.Major}.{assemblyVersion.Minor}.{assemblyVersion.Build}", Assert.Single(result.Output).BaseObject);
    }

    [Fact]
    public void CmdletClasses_AreSealedAndDeclareOutputType()
    {
        var cmdlets = ModuleAssembly.GetTypes().Where(t => t.GetCustomAttribute<CmdletAttribute>() is not null).ToList();

        Assert.All(cmdlets, t =>
        {
            Assert.True(t.IsSealed, $"{t.Name} is not sealed");
            Assert.NotNull(t.GetCustomAttribute<OutputTypeAttribute>());
            Assert.Equal("IExecSecrets.Commands", t.Namespace);
        });
        Assert.Contains(cmdlets, t => t == typeof(PushIExecRequesterSecretCommand));
    }
}
