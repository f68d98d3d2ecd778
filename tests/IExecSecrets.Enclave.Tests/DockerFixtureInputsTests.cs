namespace IExecSecrets.Enclave.Tests;

/// <summary>
/// The test images are named after their inputs (issue 17: a persistent engine reused them by a fixed tag, so a changed
/// sconify stand-in could go untested): any change of a staged file, its mode or a build argument gives another name.
/// </summary>
public sealed class DockerFixtureInputsTests : IDisposable
{
    private readonly string _folder = RepoPaths.NewTempFolder("docker-inputs");

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void InputsHash_ChangesWithAnyFileOrBuildArgument_AndOnlyThen()
    {
        foreach (var file in Directory.EnumerateFiles(Path.Combine(RepoPaths.Enclave, "test-sconify")))
        {
            File.Copy(file, Path.Combine(_folder, Path.GetFileName(file)));
        }
        var script = Directory.EnumerateFiles(_folder).Order(StringComparer.Ordinal).First();
        var original = DockerFixture.InputsHash(_folder, null);

        Assert.Equal(original, DockerFixture.InputsHash(_folder, null));
        Assert.NotEqual(original, DockerFixture.InputsHash(_folder, new Dictionary<string, string> { ["FINGERPRINT_OVERRIDE"] = "x" }));
        File.AppendAllText(script, " ");
        var edited = DockerFixture.InputsHash(_folder, null);
        Assert.NotEqual(original, edited);
        File.WriteAllText(Path.Combine(_folder, "extra"), "");
        Assert.NotEqual(edited, DockerFixture.InputsHash(_folder, null));
    }
}
