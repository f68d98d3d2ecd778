using IExecSecrets.Core.Tests.Vectors;

namespace IExecSecrets.Core.Tests.Execution;

public sealed class AppRunnerTests
{
    [Theory]
    [InlineData("tee,scone", TeeFramework.Scone)]
    [InlineData("tee,gramine", TeeFramework.Gramine)]
    [InlineData("tee,tdx", TeeFramework.Tdx)]
    [InlineData("0x000000000000000000000000000000000000000000000000000000000000000b", TeeFramework.Scone)]
    [InlineData("0x000000000000000000000000000000000000000000000000000000000000000d", TeeFramework.Tdx)]
    public void FrameworkOfTag_FollowsTheSdkPrecedence(string tag, TeeFramework expected)
    {
        // 0x…0b has scone and tdx bits: scone wins; 0x…0d has gramine and tdx: tdx wins (parse skipped: not a valid single-framework tag).
        var bytes = tag.StartsWith("0x", StringComparison.Ordinal) ? Hex.Decode(tag) : OrderTag.Parse(tag);

        Assert.Equal(expected, RunTags.FrameworkOfTag(bytes));
    }

    [Theory]
    [InlineData("{\"framework\":\"SCONE\",\"framework\":\"GRAMINE\"}")]
    [InlineData("{\"framework\":\"SCONE\"")]
    [InlineData("not json")]
    [InlineData("[\"SCONE\"]")]
    public void FrameworkOf_MrEnclaveThatIsNotOneJsonObjectWithOneFramework_IsNoneAndDoesNotThrow(string mrEnclave)
    {
        // Written on chain by whoever deployed the app: a key given twice must not crash Get-IExecApp or a preflight.
        Assert.Null(IExecSecrets.Core.Apps.AppReader.FrameworkOf(mrEnclave));
    }

    [Fact]
    public void FrameworkOfTag_TeeAlone_IsNone()
    {
        Assert.Null(RunTags.FrameworkOfTag(OrderTag.Parse("tee", allowTeeWithoutFramework: true)));
    }

    [Fact]
    public void Validate_DealIdAndTaskIdOfTheSdkVector_DeriveFromTheRequestHash()
    {
        var requestHash = Hex.Decode(TestVectors.Text("eip712.hashes.requestorder"));

        var deal = ExecutionIds.DealId(requestHash, 0);

        Assert.Equal(TestVectors.Text("dealid_ifRequestorderConsumedWas0"), Hex.Encode(deal));
        Assert.Equal(TestVectors.Text("taskid_idx0"), Hex.Encode(ExecutionIds.TaskId(deal, 0)));
    }

    [Theory]
    [InlineData("tee,foo", ErrorIds.InvalidTag, "tee,foo is not a valid tag. Unknown tag foo")]
    [InlineData("scone", ErrorIds.InvalidTag, "'scone' tag must be used with 'tee' tag")]
    [InlineData("tee,scone,gramine", ErrorIds.InvalidTag, "tee framework tags are exclusive ('scone'|'gramine'|'tdx')")]
    public void TagParse_BadRunTags_FailWithTheSdkMessages(string tag, string errorId, string message)
    {
        var error = Assert.Throws<IExecException>(() => OrderTag.Parse(tag, allowTeeWithoutFramework: true));

        Assert.Equal(errorId, error.ErrorId);
        Assert.Equal(message, error.Message);
    }

    [Fact]
    public void PreflightReport_Mismatch_SaysWhatToDo()
    {
        var report = new PreflightReport { Performed = true, TagMismatch = true, AppFramework = TeeFramework.Gramine, TagFramework = TeeFramework.Scone };

        var error = Assert.Throws<IExecException>(report.ThrowIfFailed);

        Assert.Equal(ErrorIds.AppTagMismatch, error.ErrorId);
        Assert.StartsWith("App requirements check failed: Tag mismatch the TEE framework specified by app", error.Message);
        Assert.Contains("-Tag tee,gramine", error.RecommendedAction);
    }

    [Fact]
    public void PreflightReport_MissingSecret_NamesSecretAndRequester()
    {
        var report = new PreflightReport { Performed = true, MissingRequesterSecrets = ["x1"], Requester = "0xFCAd0B19bB29D4674531d6f115237E16AfCE377c" };

        var error = Assert.Throws<IExecException>(report.ThrowIfFailed);

        Assert.Equal(ErrorIds.RequesterSecretMissing, error.ErrorId);
        Assert.StartsWith("Request requirements check failed: Requester secret \"x1\" is not set for requester 0xFCAd0B19bB29D4674531d6f115237E16AfCE377c in the SMS.", error.Message);
    }
}
