namespace IExecSecrets.Core.Tests.Config;

public sealed class TeeFrameworksTests
{
    [Theory]
    [InlineData("scone", TeeFramework.Scone)]
    [InlineData("SCONE", TeeFramework.Scone)]
    [InlineData("Gramine", TeeFramework.Gramine)]
    [InlineData("tdx", TeeFramework.Tdx)]
    public void Parse_AnyCase_ReturnsTheFramework(string text, TeeFramework expected)
    {
        Assert.Equal(expected, TeeFrameworks.Parse(text));
    }

    [Theory]
    [InlineData("foo")]
    [InlineData("0")]
    [InlineData("")]
    [InlineData(null)]
    public void Parse_Unknown_ThrowsUnknownTeeFrameworkListingChoices(string? text)
    {
        var error = Assert.Throws<IExecException>(() => TeeFrameworks.Parse(text));

        Assert.Equal(ErrorIds.UnknownTeeFramework, error.ErrorId);
        Assert.Equal(IExecErrorCategory.InvalidArgument, error.Category);
        Assert.EndsWith("Allowed choices are scone, gramine, tdx.", error.Message);
    }

    [Fact]
    public void ToWireName_EveryFramework_RoundTrips()
    {
        Assert.All(Enum.GetValues<TeeFramework>(), framework => Assert.Equal(framework, TeeFrameworks.Parse(framework.ToWireName())));
    }
}
