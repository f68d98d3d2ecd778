using IExecSecrets.Core.Ens;
using IExecSecrets.Core.Tests.Vectors;

namespace IExecSecrets.Core.Tests.Market;

public sealed class EnsResolverTests
{
    [Fact]
    public void NameHash_OfTheDocsWorkerpool_IsTheVector()
    {
        Assert.Equal(TestVectors.Text("ens.namehash"), Hex.Encode(EnsResolver.NameHash(TestVectors.Text("ens.name"))));
    }

    [Theory]
    [InlineData("prod-v8-bellecour.main.pools.iexec.eth", true)]
    [InlineData("0x3333333333333333333333333333333333333333", false)]
    public void IsEnsName_TellsNamesFromAddresses(string text, bool expected) => Assert.Equal(expected, EnsResolver.IsEnsName(text));
}
