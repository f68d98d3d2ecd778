using CsCheck;
using IExecSecrets.Core.Tests.Vectors;

namespace IExecSecrets.Core.Tests.Chain;

public sealed class AbiTests
{
    [Theory]
    [InlineData("transfer(address,uint256)", "0xa9059cbb")]
    [InlineData(AppRegistry.CreateAppSignature, "0x3f7868ff")]
    [InlineData(AppRegistry.PredictAppSignature, "0xe92118ed")]
    [InlineData(PoCoHub.MatchOrdersSignature, "0x156194d4")]
    [InlineData("viewDeal(bytes32)", "0xb74861b2")]
    [InlineData("viewTask(bytes32)", "0xadccf0d5")]
    [InlineData("viewCategory(uint256)", "0x4f5f44ec")]
    [InlineData("final_deadline_ratio()", "0xdb8aaa26")]
    public void SelectorsMatchTheSdk(string signature, string selector) => Assert.Equal(selector, Hex.Encode(Abi.Selector(signature)));

    [Fact]
    public void TransferTopicIsTheErc721One() =>
        Assert.Equal("0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef", Hex.Encode(EventTopics.Transfer));

    [Fact]
    public void OrdersMatchedTopicIsTheSdkOne() =>
        Assert.Equal("0xd811b592ed0899225773e8933d8df64bd0b62761a9d7aad4ed5b22735f4610a4", Hex.Encode(EventTopics.OrdersMatched));

    [Fact]
    public void CreateAppCalldataEqualsTheSdkVector()
    {
        var args = TestVectors.Element("createApp.args");
        var app = new AppDefinition(
            EthAddress.Parse(args.GetProperty("owner").GetString()!),
            args.GetProperty("name").GetString()!,
            args.GetProperty("type").GetString()!,
            Encoding.UTF8.GetBytes(args.GetProperty("multiaddr_utf8").GetString()!),
            Hex.Decode(args.GetProperty("checksum").GetString()!),
            Encoding.UTF8.GetBytes(args.GetProperty("mrenclave_utf8").GetString()!));
        Assert.Equal(TestVectors.Text("createApp.calldata"), Hex.Encode(AppRegistry.EncodeCreateApp(app)));
    }

    [Fact]
    public void CreateAppCalldataDecodesBackToItsArguments()
    {
        var calldata = Hex.Decode(TestVectors.Text("createApp.calldata"));
        var values = Abi.Decode("address,string,string,bytes,bytes32,bytes", calldata.AsSpan(4));
        Assert.Equal(EthAddress.Parse(TestVectors.Text("createApp.args.owner")), values[0]);
        Assert.Equal("hello-world-scone", values[1]);
        Assert.Equal(TestVectors.Text("createApp.args.mrenclave_utf8"), Encoding.UTF8.GetString((byte[])values[5]!));
    }

    [Fact]
    public void MatchOrdersCalldataEqualsTheSdkVector()
    {
        var e = TestVectors.Element("eip712");
        static object? V(System.Text.Json.JsonElement order, string field, string type) => type switch
        {
            "address" => EthAddress.Parse(order.GetProperty(field).GetString()!),
            "uint256" => BigInteger.Parse(order.GetProperty(field).GetString()!, System.Globalization.CultureInfo.InvariantCulture),
            "string" => order.GetProperty(field).GetString(),
            _ => Hex.Decode(order.GetProperty(field).GetString()!),
        };
        static object?[] Tuple(System.Text.Json.JsonElement order, params (string Field, string Type)[] fields) =>
            fields.Select(f => V(order, f.Field, f.Type)).ToArray();

        var app = Tuple(e.GetProperty("apporder"), ("app", "address"), ("appprice", "uint256"), ("volume", "uint256"), ("tag", "bytes32"),
            ("datasetrestrict", "address"), ("workerpoolrestrict", "address"), ("requesterrestrict", "address"), ("salt", "bytes32"), ("sign", "bytes"));
        var dataset = Tuple(e.GetProperty("datasetorder"), ("dataset", "address"), ("datasetprice", "uint256"), ("volume", "uint256"), ("tag", "bytes32"),
            ("apprestrict", "address"), ("workerpoolrestrict", "address"), ("requesterrestrict", "address"), ("salt", "bytes32"), ("sign", "bytes"));
        var workerpool = Tuple(e.GetProperty("workerpoolorder"), ("workerpool", "address"), ("workerpoolprice", "uint256"), ("volume", "uint256"), ("tag", "bytes32"),
            ("category", "uint256"), ("trust", "uint256"), ("apprestrict", "address"), ("datasetrestrict", "address"), ("requesterrestrict", "address"),
            ("salt", "bytes32"), ("sign", "bytes"));
        var request = Tuple(e.GetProperty("requestorder"), ("app", "address"), ("appmaxprice", "uint256"), ("dataset", "address"), ("datasetmaxprice", "uint256"),
            ("workerpool", "address"), ("workerpoolmaxprice", "uint256"), ("requester", "address"), ("volume", "uint256"), ("tag", "bytes32"),
            ("category", "uint256"), ("trust", "uint256"), ("beneficiary", "address"), ("callback", "address"), ("params", "string"),
            ("salt", "bytes32"), ("sign", "bytes"));

        var calldata = PoCoHub.EncodeMatchOrders(app, dataset, workerpool, request);
        Assert.Equal(TestVectors.Element("matchOrders.calldataLengthBytes").GetInt32(), calldata.Length);
        Assert.Equal(TestVectors.Text("matchOrders.calldataKeccak"), Hex.Encode(Keccak256.Hash(calldata)));
    }

    [Fact]
    public void SignedIntegersUseTwosComplement()
    {
        Assert.Equal("0x" + new string('f', 64), Hex.Encode(Abi.Encode("int256", BigInteger.MinusOne)));
        Assert.Equal(BigInteger.MinusOne, Abi.Decode("int256", Abi.Encode("int256", BigInteger.MinusOne))[0]);
        Assert.Throws<ArgumentException>(() => Abi.Encode("uint8", 256));
        Assert.Throws<ArgumentException>(() => Abi.Encode("int8", 128));
    }

    [Fact]
    public void StaticArraysOfDynamicTypesAreDynamic()
    {
        Assert.True(AbiType.Parse("string[2]").IsDynamic);
        Assert.False(AbiType.Parse("(address,uint256)[3]").IsDynamic);
        Assert.Equal(96 * 2, AbiType.Parse("(address,uint256,bytes32)[2]").HeadSize);
        // ethers: AbiCoder.encode(["string[2]"], [["a","bc"]])
        Assert.Equal(
            "0x0000000000000000000000000000000000000000000000000000000000000020"
            + "0000000000000000000000000000000000000000000000000000000000000040"
            + "0000000000000000000000000000000000000000000000000000000000000080"
            + "0000000000000000000000000000000000000000000000000000000000000001"
            + "6100000000000000000000000000000000000000000000000000000000000000"
            + "0000000000000000000000000000000000000000000000000000000000000002"
            + "6263000000000000000000000000000000000000000000000000000000000000",
            Hex.Encode(Abi.Encode("string[2]", new object?[] { new object?[] { "a", "bc" } })));
    }

    [Fact]
    public void TruncatedDataIsAFormatError() =>
        Assert.Throws<FormatException>(() => Abi.Decode("uint256,bytes", new byte[40]));

    [Fact]
    public void NestedDynamicTuplesRoundTrip()
    {
        const string types = "(address,uint256,bytes,(string,bytes32)[],uint8[2])[],bool,int64";
        var gen = Gen.Select(Gen.Byte.Array[20], Gen.ULong, Gen.Byte.Array[0, 70], Gen.String[0, 40], Gen.Byte.Array[32], Gen.Byte, Gen.Bool, Gen.Long)
            .Select(t => new object?[]
            {
                new object?[]
                {
                    new object?[] { EthAddress.FromBytes(t.Item1), new BigInteger(t.Item2), t.Item3,
                        new object?[] { new object?[] { t.Item4, t.Item5 }, new object?[] { "", t.Item5 } },
                        new object?[] { new BigInteger(t.Item6), BigInteger.Zero } },
                },
                t.Item7,
                new BigInteger(t.Item8),
            });
        gen.Sample(values =>
        {
            var encoded = Abi.Encode(types, values);
            var decoded = Abi.Decode(types, encoded);
            Assert.Equal(Hex.Encode(encoded), Hex.Encode(Abi.Encode(types, decoded)));
            Assert.Equal(values[1], decoded[1]);
            Assert.Equal(values[2], decoded[2]);
        }, iter: 300);
    }
}
