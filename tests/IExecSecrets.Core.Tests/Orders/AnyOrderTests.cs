using IExecSecrets.Core.Tests.Vectors;

namespace IExecSecrets.Core.Tests.Orders;

/// <summary>
/// Orders read for Revoke-IExecOrder from the JSON the iexec SDK writes: the vector file's orders were signed by the
/// SDK 8.24 and hashed by ethers (tests/oracle/vectors.mjs), so the hash and the signer are independent oracles.
/// </summary>
public sealed class AnyOrderTests
{
    private static readonly Eip712Domain Domain = Eip712Domain.ForHub(134, EthAddress.Parse(TestVectors.Text("eip712.domain.verifyingContract")));

    [Theory]
    [InlineData("apporder", OrderKind.App)]
    [InlineData("workerpoolorder", OrderKind.Workerpool)]
    [InlineData("requestorder", OrderKind.Request)]
    public void Parse_SdkSignedOrderJson_HasTheSdksHashAndSigner(string name, OrderKind kind)
    {
        var order = AnyOrder.Parse(TestVectors.Element("eip712." + name).GetRawText());

        Assert.Equal(kind, order.Kind);
        Assert.Equal(name, order.KindName);
        Assert.Equal(TestVectors.Text("eip712.hashes." + name), Hex.Encode(order.Hash(Domain)));
        Assert.Equal(EthAddress.Parse(TestVectors.Text("address")), order.RecoverSigner(Domain));
    }

    [Fact]
    public void Parse_NullDatasetOrder_IsADatasetOrder_Unsigned()
    {
        var order = AnyOrder.Parse(TestVectors.Element("eip712.datasetorder").GetRawText());

        Assert.Equal(OrderKind.Dataset, order.Kind);
        Assert.False(order.IsSigned);
    }

    [Fact]
    public void ToJson_WithoutSignature_RoundTripsToTheSameHash_AndCarriesNoSignature()
    {
        var signed = AnyOrder.Parse(TestVectors.Element("eip712.requestorder").GetRawText());

        var json = signed.ToJson(withSignature: false);
        var again = AnyOrder.Parse(json);

        Assert.DoesNotContain("sign", json);
        Assert.Equal(signed.Hash(Domain), again.Hash(Domain));
        Assert.False(again.IsSigned);
        Assert.Equal(Abi.Selector(OrderManagement.ManageRequestOrderSignature), OrderManagement.EncodeClose(signed)[..4]);
    }

    [Fact]
    public void Parse_MarketEntryWithAnOrderMember_ReadsTheOrder()
    {
        var entry = "{\"orderHash\":\"0x00\",\"order\":" + TestVectors.Element("eip712.apporder").GetRawText() + "}";

        Assert.Equal(TestVectors.Text("eip712.hashes.apporder"), Hex.Encode(AnyOrder.Parse(entry).Hash(Domain)));
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("[]")]
    [InlineData("{\"app\":\"0x1111111111111111111111111111111111111111\"}")]
    [InlineData("{\"app\":\"0x1111111111111111111111111111111111111111\",\"appprice\":\"0\",\"volume\":\"1\",\"tag\":\"0x0000000000000000000000000000000000000000000000000000000000000000\",\"datasetrestrict\":\"0x0000000000000000000000000000000000000000\",\"workerpoolrestrict\":\"0x0000000000000000000000000000000000000000\",\"requesterrestrict\":\"0x0000000000000000000000000000000000000000\",\"salt\":\"0x0000000000000000000000000000000000000000000000000000000000000000\",\"extra\":1}")]
    [InlineData("{\"app\":\"0x1111111111111111111111111111111111111111\",\"appprice\":\"-1\",\"volume\":\"1\",\"tag\":\"0x0000000000000000000000000000000000000000000000000000000000000000\",\"datasetrestrict\":\"0x0000000000000000000000000000000000000000\",\"workerpoolrestrict\":\"0x0000000000000000000000000000000000000000\",\"requesterrestrict\":\"0x0000000000000000000000000000000000000000\",\"salt\":\"0x0000000000000000000000000000000000000000000000000000000000000000\"}")]
    [InlineData("{\"app\":\"0x1111111111111111111111111111111111111111\",\"appprice\":\"0\",\"volume\":\"115792089237316195423570985008687907853269984665640564039457584007913129639936\",\"tag\":\"0x0000000000000000000000000000000000000000000000000000000000000000\",\"datasetrestrict\":\"0x0000000000000000000000000000000000000000\",\"workerpoolrestrict\":\"0x0000000000000000000000000000000000000000\",\"requesterrestrict\":\"0x0000000000000000000000000000000000000000\",\"salt\":\"0x0000000000000000000000000000000000000000000000000000000000000000\"}")]
    public void Parse_NotAnOrder_IsInvalidOrder(string json)
    {
        var error = Assert.Throws<IExecException>(() => AnyOrder.Parse(json));
        Assert.Equal(ErrorIds.InvalidOrder, error.ErrorId);
        Assert.Equal(IExecErrorCategory.InvalidArgument, error.Category);
    }
}
