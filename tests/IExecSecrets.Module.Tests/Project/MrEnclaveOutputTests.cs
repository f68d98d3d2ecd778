namespace IExecSecrets.Module.Tests.Project;

/// <summary>
/// Issue 15: an app's mrenclave prints as readable text (the text the app contract holds), never as a dictionary
/// PowerShell cuts to <c>{[framework, SCONE], …}</c>, and its fields are properties. The text is whatever was written
/// on chain, by anyone: reading it never fails, it is kept as read and a field is set only from a value of its type.
/// </summary>
public sealed class MrEnclaveOutputTests
{
    private const string Scone =
        """{"framework":"SCONE","version":"v5.9","entrypoint":"node /app/app.js","heapSize":1073741824,"fingerprint":"2d4b9efd066d0bb058b8da79bf8551be7d244779bc41d03a12201a4004779609"}""";

    [Fact]
    public void Parse_SconeJson_GivesTheFieldsAndPrintsTheTextAsHeld()
    {
        var mrEnclave = IExecMrEnclave.Parse(Scone)!;

        Assert.Equal(("SCONE", "v5.9", "node /app/app.js", 1073741824L, "2d4b9efd066d0bb058b8da79bf8551be7d244779bc41d03a12201a4004779609"),
            (mrEnclave.Framework, mrEnclave.Version, mrEnclave.Entrypoint, mrEnclave.HeapSize, mrEnclave.Fingerprint));
        Assert.Equal(Scone, mrEnclave.Text);
        Assert.Equal(Scone, mrEnclave.ToString());
    }

    [Theory]
    [InlineData("")]
    [InlineData(null)]
    public void Parse_Empty_IsNull(string? text) => Assert.Null(IExecMrEnclave.Parse(text));

    [Theory]
    [InlineData("not json at all")]
    [InlineData("[\"SCONE\"]")]
    [InlineData("\"SCONE\"")]
    [InlineData("{\"framework\":\"SCONE\",\"framework\":\"GRAMINE\"}")]
    [InlineData("{\"framework\":")]
    public void Parse_TextThatIsNotOneJsonObject_KeepsTheTextAndNoField(string text)
    {
        var mrEnclave = IExecMrEnclave.Parse(text)!;

        Assert.Equal(text, mrEnclave.Text);
        Assert.Equal(text, mrEnclave.ToString());
        Assert.Null(mrEnclave.Framework);
        Assert.Null(mrEnclave.Fingerprint);
    }

    [Fact]
    public void Parse_FieldsOfAnotherType_AreNullAndTheTextIsKept()
    {
        const string text = """{"framework":{"name":"SCONE"},"version":5.9,"heapSize":"1G","fingerprint":null,"entrypoint":["node"],"extra":1}""";

        var mrEnclave = IExecMrEnclave.Parse(text)!;

        Assert.Equal(((string?)null, (string?)null, (string?)null, (long?)null, (string?)null),
            (mrEnclave.Framework, mrEnclave.Version, mrEnclave.Entrypoint, mrEnclave.HeapSize, mrEnclave.Fingerprint));
        Assert.Equal(text, mrEnclave.Text);
    }

    [Fact]
    public void Parse_KeysInAnotherCase_AreOtherKeysAsForTheChainReader()
    {
        var mrEnclave = IExecMrEnclave.Parse("""{"FRAMEWORK":"GRAMINE","framework":"SCONE","FingerPrint":"ab"}""")!;

        Assert.Equal(("SCONE", (string?)null), (mrEnclave.Framework, mrEnclave.Fingerprint));
        Assert.Equal(Core.Config.TeeFramework.Scone, Core.Apps.AppReader.FrameworkOf(mrEnclave.Text));
    }
}
