namespace IExecSecrets.Core.Tests.Execution;

public sealed class SecretMappingTests
{
    [Theory]
    [InlineData("0")]
    [InlineData("01")]
    [InlineData("a")]
    [InlineData("")]
    [InlineData("-1")]
    [InlineData(" 1")]
    [InlineData("1.0")]
    [InlineData("99999999999")]
    public void Parse_KeyThatIsNotAStrictlyPositiveInteger_FailsInvalidSecretMappingKey(string key)
    {
        var error = Assert.Throws<IExecException>(() => SecretMapping.Parse([new(key, "x1")]));

        Assert.Equal(ErrorIds.InvalidSecretMappingKey, error.ErrorId);
        Assert.StartsWith("requester secret mapping keys must be strictly positive integers", error.Message);
    }

    [Theory]
    [InlineData("")]
    [InlineData(null)]
    [InlineData("has space")]
    [InlineData("x1\n")]
    public void Parse_NameThatIsNotAnSmsName_FailsInvalidSecretName(string? name)
    {
        var error = Assert.Throws<IExecException>(() => SecretMapping.Parse([new("1", name)]));

        Assert.Equal(ErrorIds.InvalidSecretName, error.ErrorId);
    }

    [Fact]
    public void ParseItems_ItemWithoutEquals_FailsWithTheSdkMessage()
    {
        var error = Assert.Throws<IExecException>(() => SecretMapping.ParseItems(["1x1"]));

        Assert.Equal(ErrorIds.InvalidSecretMapping, error.ErrorId);
        Assert.Equal("'1x1' is not a valid secret mapping syntax (must be <appSecretKey>=<requesterSecretName>)", error.Message);
    }

    [Fact]
    public void ParseItems_SplitsAtTheFirstEqualsAndSortsBySlot()
    {
        var mapping = SecretMapping.ParseItems(["12=b", "3=a_b-c"]);

        Assert.Equal([new(3, "a_b-c"), new(12, "b")], mapping);
    }
}
