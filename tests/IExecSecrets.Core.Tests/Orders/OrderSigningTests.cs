namespace IExecSecrets.Core.Tests.Orders;

public sealed class OrderSigningTests
{
    private static readonly Eip712Domain Domain = Eip712Domain.ForHub(134, EthAddress.Parse("0x3eca1B216A7DF1C7689aEb259fFB83ADFB894E7f"));

    private static RequestOrder Request(EthAddress requester) => new()
    {
        App = EthAddress.Parse("0x1111111111111111111111111111111111111111"),
        Requester = requester,
        Beneficiary = requester,
        Volume = 1,
        Tag = OrderTag.Parse("tee,scone"),
        Params = "{}",
        Salt = OrderSalt.New(),
    };

    [Fact]
    public void SignWith_ReturnsASignedCopyThatRecoversToTheSigner()
    {
        using var key = WalletKey.Generate();
        var order = Request(key.Address);

        var signed = order.SignWith(key, Domain);

        Assert.Equal("0x", order.Sign);
        Assert.Matches("^0x[0-9a-f]{130}$", signed.Sign);
        Assert.Equal(key.Address, signed.RecoverSigner(Domain));
        Assert.Equal(order.Hash(Domain), signed.Hash(Domain));
    }

    [Fact]
    public void Hash_OtherChainOrSalt_Changes()
    {
        using var key = WalletKey.Generate();
        var order = Request(key.Address);

        var onOtherChain = order.Hash(Domain with { ChainId = 421614 });
        var otherSalt = (order with { Salt = OrderSalt.New() }).Hash(Domain);

        Assert.NotEqual(order.Hash(Domain), onOtherChain);
        Assert.NotEqual(order.Hash(Domain), otherSalt);
    }

    [Fact]
    public void RecoverSigner_UnsignedOrder_ThrowsInvalidTypedDataValue()
    {
        var error = Assert.Throws<IExecException>(() => DatasetOrder.Null.RecoverSigner(Domain));

        Assert.Equal(ErrorIds.InvalidTypedDataValue, error.ErrorId);
    }

    [Fact]
    public void Hash_ShortSalt_ThrowsInvalidTypedDataValueNamingTheMember()
    {
        var order = Request(EthAddress.Zero) with { Salt = new byte[31] };

        var error = Assert.Throws<IExecException>(() => order.Hash(Domain));

        Assert.Equal(ErrorIds.InvalidTypedDataValue, error.ErrorId);
        Assert.Equal("RequestOrder.salt", error.Target);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(256)]
    public void Hash_Uint256OutOfRange_ThrowsInvalidTypedDataValue(int exponentOrNegative)
    {
        var volume = exponentOrNegative < 0 ? BigInteger.MinusOne : BigInteger.One << exponentOrNegative;
        var order = Request(EthAddress.Zero) with { Volume = volume };

        var error = Assert.Throws<IExecException>(() => order.Hash(Domain));

        Assert.Equal(ErrorIds.InvalidTypedDataValue, error.ErrorId);
    }

    [Fact]
    public void OrderSalt_New_Is32FreshBytes()
    {
        var first = OrderSalt.New();
        var second = OrderSalt.New();

        Assert.Equal(32, first.Length);
        Assert.NotEqual(first, second);
    }

    [Fact]
    public void TaskId_ConsecutiveIndexes_AreDistinctAndDealIdDependsOnConsumed()
    {
        var requestHash = Keccak256.HashUtf8("request");

        var fresh = ExecutionIds.DealId(requestHash, 0);
        var reused = ExecutionIds.DealId(requestHash, 1);

        Assert.NotEqual(fresh, reused);
        Assert.NotEqual(ExecutionIds.TaskId(fresh, 0), ExecutionIds.TaskId(fresh, 1));
    }

    [Fact]
    public void TypedDataType_UnsupportedMember_IsRejected()
    {
        Assert.Throws<NotSupportedException>(() => new TypedDataType("Nested", [new TypedDataField("inner", "Other")]));
    }
}
