using CsCheck;
using IExecSecrets.Core.Secrets;

namespace IExecSecrets.Core.Tests.Sms;

public sealed class SecretRulesTests
{
    [Theory]
    [InlineData("x1")]
    [InlineData("A")]
    [InlineData("my-secret_2")]
    [InlineData("0123456789012345678901234567890123456789012345678901234567890123")]
    public void IsValidName_NamesTheSmsAccepts_True(string name)
    {
        Assert.True(SecretRules.IsValidName(name));
    }

    [Theory]
    [InlineData("")]
    [InlineData("bad name")]
    [InlineData("x1\n")]
    [InlineData("é")]
    [InlineData("a.b")]
    [InlineData("a/b")]
    [InlineData("01234567890123456789012345678901234567890123456789012345678901234")]
    public void EnsureValidName_NamesTheSmsRejects_ThrowsInvalidSecretName(string name)
    {
        var error = Assert.Throws<IExecException>(() => SecretRules.EnsureValidName(name));

        Assert.Equal(ErrorIds.InvalidSecretName, error.ErrorId);
        Assert.Equal(IExecErrorCategory.InvalidArgument, error.Category);
        Assert.Equal(name, error.Target);
    }

    [Fact]
    public void IsValidName_AnyStringOfAllowedCharacters_TrueExactlyUpTo64()
    {
        Gen.String[Gen.Char["abcXYZ019_-"], 1, 80].Sample(name =>
            Assert.Equal(name.Length <= 64, SecretRules.IsValidName(name)));
    }

    [Fact]
    public void EnsureValueSize_4096Bytes_Passes()
    {
        SecretRules.EnsureValueSize(new byte[SecretRules.MaxValueBytes], "x1");
    }

    [Fact]
    public void EnsureValueSize_4097Bytes_ThrowsLimitsExceededWithoutTheValue()
    {
        var value = Encoding.UTF8.GetBytes(new string('s', 4095) + "é");

        var error = Assert.Throws<IExecException>(() => SecretRules.EnsureValueSize(value, "x1"));

        Assert.Equal(ErrorIds.SecretValueTooLarge, error.ErrorId);
        Assert.Equal(IExecErrorCategory.LimitsExceeded, error.Category);
        Assert.Equal("x1", error.Target);
        Assert.Contains("4097", error.Message);
        Assert.DoesNotContain("sss", error.Message);
    }

    [Theory]
    [InlineData("iexec-result-encryption-public-key")]
    [InlineData("IEXEC-RESULT-DROPBOX-TOKEN")]
    [InlineData("iexec-result-iexec-ipfs-token")]
    public void IsReservedWeb2Name_WorkerNames_TrueInAnyCase(string name)
    {
        Assert.True(SecretRules.IsReservedWeb2Name(name));
    }

    [Fact]
    public void IsReservedWeb2Name_OtherName_False()
    {
        Assert.False(SecretRules.IsReservedWeb2Name("my-token"));
    }

    [Fact]
    public void EnsureValidWeb2Name_Empty_ThrowsInvalidSecretName()
    {
        var error = Assert.Throws<IExecException>(() => SecretRules.EnsureValidWeb2Name(""));

        Assert.Equal(ErrorIds.InvalidSecretName, error.ErrorId);
    }
}
