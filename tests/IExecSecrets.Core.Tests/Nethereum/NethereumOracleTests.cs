using Nethereum.ABI;
using Nethereum.ABI.EIP712;
using AccessListItem = Nethereum.Model.AccessListItem;
using Transaction1559 = Nethereum.Model.Transaction1559;
using Nethereum.RLP;
using Nethereum.Signer;

namespace IExecSecrets.Core.Tests.Nethereum;

/// <summary>
/// Nethereum 6.1.0 as a second, independent oracle beside the ethers/SDK vectors: ABI encoding, the EIP-712 hashes of
/// the four PoCo orders, RLP, signed legacy/EIP-155 and EIP-1559 transactions and personal signatures, on random
/// inputs. Every test is seeded from the clock and prints its seed on failure (replay by fixing the seed).
/// </summary>
public sealed class NethereumOracleTests
{
    private const int Cases = 60;

    [Fact]
    public void AbiEncode_RandomStaticAndDynamicValues_EqualsNethereum()
    {
        var (seed, random) = Seeded();
        string[] kinds = ["address", "bool", "uint256", "uint8", "int256", "bytes32", "bytes", "string", "uint256[]", "address[]"];
        for (var i = 0; i < Cases; i++)
        {
            var count = random.Next(1, 6);
            var types = new List<string>();
            var ours = new List<object?>();
            var theirs = new List<ABIValue>();
            for (var k = 0; k < count; k++)
            {
                var type = kinds[random.Next(kinds.Length)];
                types.Add(type);
                switch (type)
                {
                    case "address":
                        var address = RandomAddress(random);
                        ours.Add(address);
                        theirs.Add(new ABIValue(type, address.ToLowerHex()));
                        break;
                    case "bool":
                        var flag = random.Next(2) == 1;
                        ours.Add(flag);
                        theirs.Add(new ABIValue(type, flag));
                        break;
                    case "uint256":
                    case "uint8":
                        var unsigned = RandomUnsigned(random, type == "uint8" ? 8 : 256);
                        ours.Add(unsigned);
                        theirs.Add(new ABIValue(type, unsigned));
                        break;
                    case "int256":
                        var signed = RandomUnsigned(random, 255) * (random.Next(2) == 0 ? -1 : 1);
                        ours.Add(signed);
                        theirs.Add(new ABIValue(type, signed));
                        break;
                    case "bytes32":
                        var word = RandomBytes(random, 32);
                        ours.Add(word);
                        theirs.Add(new ABIValue(type, word));
                        break;
                    case "bytes":
                        var blob = RandomBytes(random, random.Next(0, 100));
                        ours.Add(blob);
                        theirs.Add(new ABIValue(type, blob));
                        break;
                    case "string":
                        var text = RandomText(random);
                        ours.Add(text);
                        theirs.Add(new ABIValue(type, text));
                        break;
                    case "uint256[]":
                        var numbers = Enumerable.Range(0, random.Next(0, 5)).Select(_ => RandomUnsigned(random, 256)).ToList();
                        ours.Add(numbers.Cast<object?>().ToArray());
                        theirs.Add(new ABIValue(type, numbers));
                        break;
                    default:
                        var addresses = Enumerable.Range(0, random.Next(0, 5)).Select(_ => RandomAddress(random)).ToList();
                        ours.Add(addresses.Cast<object?>().ToArray());
                        theirs.Add(new ABIValue(type, addresses.Select(a => a.ToLowerHex()).ToList()));
                        break;
                }
            }

            var expected = new ABIEncode().GetABIEncoded(theirs.ToArray());
            var actual = Abi.Encode(string.Join(",", types), ours.ToArray());

            Assert.True(Hex.Encode(expected) == Hex.Encode(actual), $"seed {seed}, case {i}: ({string.Join(",", types)})");
        }
    }

    // Issue 17: the market's login digest was checked only against our own Keccak256 spelled out in the test. Here it is
    // Nethereum's typed-data hash of the challenge the market sends (types, domain and message as iexec-market-api
    // writes them), for random chains and challenge texts: a wrong domain field, type string or text encoding fails.
    [Fact]
    public void MarketChallengeHash_RandomChainsAndTexts_EqualsNethereumTypedDataV4()
    {
        var (seed, random) = Seeded();
        string[] alphabet = ["a", "b", "X", "Z", "0", "9", " ", "-", "_", ":", ".", "é", "€", "漢", "😀", "\"", "\\"];
        for (var i = 0; i < Cases; i++)
        {
            var chainId = (ulong)RandomUnsigned(random, 63);
            var text = string.Concat(Enumerable.Range(0, random.Next(0, 80)).Select(_ => alphabet[random.Next(alphabet.Length)]));
            var typedData = new JsonObject
            {
                ["types"] = new JsonObject
                {
                    ["EIP712Domain"] = new JsonArray(
                        new JsonObject { ["name"] = "name", ["type"] = "string" },
                        new JsonObject { ["name"] = "version", ["type"] = "string" },
                        new JsonObject { ["name"] = "chainId", ["type"] = "uint256" }),
                    ["Challenge"] = new JsonArray(new JsonObject { ["name"] = "challenge", ["type"] = "string" }),
                },
                ["primaryType"] = "Challenge",
                ["domain"] = new JsonObject { ["name"] = "iExec Gateway", ["version"] = "1", ["chainId"] = chainId.ToString(System.Globalization.CultureInfo.InvariantCulture) },
                ["message"] = new JsonObject { ["challenge"] = text },
            };

            var expected = Eip712TypedDataEncoder.Current.EncodeAndHashTypedData(typedData.ToJsonString());

            Assert.True(Hex.Encode(expected) == Hex.Encode(global::IExecSecrets.Core.Market.MarketChallenge.Hash(chainId, text)), $"seed {seed}, case {i}: chain {chainId}, challenge '{text}'");
        }
    }

    [Fact]
    public void OrderHashes_RandomOrdersOfAllFourTypes_EqualNethereumTypedDataV4()
    {
        var (seed, random) = Seeded();
        for (var i = 0; i < Cases; i++)
        {
            var domain = Eip712Domain.ForHub(RandomUnsigned(random, 64), RandomAddress(random));
            var app = new AppOrder
            {
                App = RandomAddress(random), AppPrice = RandomUnsigned(random, 256), Volume = RandomUnsigned(random, 256),
                Tag = RandomBytes(random, 32), DatasetRestrict = RandomAddress(random), WorkerpoolRestrict = RandomAddress(random),
                RequesterRestrict = RandomAddress(random), Salt = RandomBytes(random, 32),
            };
            var dataset = new DatasetOrder
            {
                Dataset = RandomAddress(random), DatasetPrice = RandomUnsigned(random, 256), Volume = RandomUnsigned(random, 256),
                Tag = RandomBytes(random, 32), AppRestrict = RandomAddress(random), WorkerpoolRestrict = RandomAddress(random),
                RequesterRestrict = RandomAddress(random), Salt = RandomBytes(random, 32),
            };
            var workerpool = new WorkerpoolOrder
            {
                Workerpool = RandomAddress(random), WorkerpoolPrice = RandomUnsigned(random, 256), Volume = RandomUnsigned(random, 256),
                Tag = RandomBytes(random, 32), Category = RandomUnsigned(random, 256), Trust = RandomUnsigned(random, 256),
                AppRestrict = RandomAddress(random), DatasetRestrict = RandomAddress(random), RequesterRestrict = RandomAddress(random),
                Salt = RandomBytes(random, 32),
            };
            var request = new RequestOrder
            {
                App = RandomAddress(random), AppMaxPrice = RandomUnsigned(random, 256), Dataset = RandomAddress(random),
                DatasetMaxPrice = RandomUnsigned(random, 256), Workerpool = RandomAddress(random), WorkerpoolMaxPrice = RandomUnsigned(random, 256),
                Requester = RandomAddress(random), Volume = RandomUnsigned(random, 256), Tag = RandomBytes(random, 32),
                Category = RandomUnsigned(random, 256), Trust = RandomUnsigned(random, 256), Beneficiary = RandomAddress(random),
                Callback = RandomAddress(random), Params = RandomText(random), Salt = RandomBytes(random, 32),
            };

            AssertSameHash(seed, i, "AppOrder", domain, app.Hash(domain),
                [app.App, app.AppPrice, app.Volume, app.Tag, app.DatasetRestrict, app.WorkerpoolRestrict, app.RequesterRestrict, app.Salt]);
            AssertSameHash(seed, i, "DatasetOrder", domain, dataset.Hash(domain),
                [dataset.Dataset, dataset.DatasetPrice, dataset.Volume, dataset.Tag, dataset.AppRestrict, dataset.WorkerpoolRestrict, dataset.RequesterRestrict, dataset.Salt]);
            AssertSameHash(seed, i, "WorkerpoolOrder", domain, workerpool.Hash(domain),
                [workerpool.Workerpool, workerpool.WorkerpoolPrice, workerpool.Volume, workerpool.Tag, workerpool.Category, workerpool.Trust,
                 workerpool.AppRestrict, workerpool.DatasetRestrict, workerpool.RequesterRestrict, workerpool.Salt]);
            AssertSameHash(seed, i, "RequestOrder", domain, request.Hash(domain),
                [request.App, request.AppMaxPrice, request.Dataset, request.DatasetMaxPrice, request.Workerpool, request.WorkerpoolMaxPrice,
                 request.Requester, request.Volume, request.Tag, request.Category, request.Trust, request.Beneficiary, request.Callback,
                 request.Params, request.Salt]);
        }
    }

    [Fact]
    public void Rlp_RandomNestedLists_EqualNethereum()
    {
        var (seed, random) = Seeded();
        for (var i = 0; i < Cases * 4; i++)
        {
            var (ours, theirs) = RandomRlpItem(random, depth: 0);
            Assert.True(Hex.Encode(theirs) == Hex.Encode(ours), $"seed {seed}, case {i}");

            var integer = RandomUnsigned(random, random.Next(1, 257)) >> random.Next(0, 256);
            Assert.True(Hex.Encode(RLP.EncodeElement(integer.ToBytesForRLPEncoding())) == Hex.Encode(Rlp.EncodeInteger(integer)),
                $"seed {seed}, case {i}: integer {integer}");
        }
    }

    [Fact]
    public void SignedTransactions_RandomLegacyAndEip1559_EqualNethereumRawBytes()
    {
        var (seed, random) = Seeded();
        for (var i = 0; i < Cases; i++)
        {
            var keyBytes = RandomKey(random);
            using var key = WalletKey.FromPrivateKey(keyBytes);
            var chainId = (ulong)random.NextInt64(1, long.MaxValue >> random.Next(0, 60));
            var nonce = RandomUnsigned(random, 64) >> random.Next(0, 64);
            var to = RandomAddress(random);
            var value = RandomUnsigned(random, 128) >> random.Next(0, 128);
            var data = RandomBytes(random, random.Next(0, 200));
            var gas = RandomUnsigned(random, 32) + 21000;

            var legacy = new EthTransaction
            {
                Type = TransactionType.Legacy, ChainId = chainId, Nonce = nonce, To = to, Value = value, Data = data,
                GasLimit = gas, GasPrice = RandomUnsigned(random, 64) >> random.Next(0, 64),
            };
            var expectedLegacy = new LegacyTransactionSigner().SignTransaction(keyBytes, chainId, to.ToLowerHex(), legacy.Value,
                legacy.Nonce, legacy.GasPrice, legacy.GasLimit, Hex.Encode(data));
            Assert.True(Strip(expectedLegacy) == Hex.Encode(legacy.Sign(key).Raw, prefix: false), $"seed {seed}, case {i}: legacy");

            var eip1559 = new EthTransaction
            {
                ChainId = chainId, Nonce = nonce, To = to, Value = value, Data = data, GasLimit = gas,
                MaxFeePerGas = RandomUnsigned(random, 64), MaxPriorityFeePerGas = RandomUnsigned(random, 40),
            };
            var expected1559 = new Transaction1559Signer().SignTransaction(keyBytes, new Transaction1559(chainId, eip1559.Nonce,
                eip1559.MaxPriorityFeePerGas, eip1559.MaxFeePerGas, eip1559.GasLimit, to.ToLowerHex(), eip1559.Value, Hex.Encode(data),
                new List<AccessListItem>()));
            Assert.True(Strip(expected1559) == Hex.Encode(eip1559.Sign(key).Raw, prefix: false), $"seed {seed}, case {i}: 1559");
        }
    }

    [Fact]
    public void PersonalSignatures_RandomKeysAndMessages_EqualNethereumAndRecoverBothWays()
    {
        var (seed, random) = Seeded();
        for (var i = 0; i < Cases; i++)
        {
            var keyBytes = RandomKey(random);
            using var key = WalletKey.FromPrivateKey(keyBytes);
            var message = RandomBytes(random, random.Next(0, 300));
            var nethereum = new EthereumMessageSigner();

            var expected = nethereum.Sign(message, new EthECKey(keyBytes, isPrivate: true));
            var actual = key.SignPersonalMessage(message).ToHex();

            Assert.True(expected == actual, $"seed {seed}, case {i}: {actual} != {expected}");
            Assert.True(string.Equals(nethereum.EcRecover(message, actual), key.Address.ToString(), StringComparison.OrdinalIgnoreCase), $"seed {seed}, case {i}");
            Assert.Equal(key.Address, PersonalMessage.Recover(message, Signature.FromBytes(Hex.Decode(expected))));
        }
    }

    // Issue 17: the oracle's type list is PoCo's, restated here from the type strings of
    // contracts/libs/IexecLibOrders_v5.sol (@iexec/poco 6.1.0), not built from our own TypedDataType.Fields: a field
    // renamed, retyped, dropped or moved in our types now changes our hash and not Nethereum's.
    private static readonly Dictionary<string, string> PoCoTypes = new()
    {
        ["AppOrder"] = "address app,uint256 appprice,uint256 volume,bytes32 tag,address datasetrestrict,address workerpoolrestrict,address requesterrestrict,bytes32 salt",
        ["DatasetOrder"] = "address dataset,uint256 datasetprice,uint256 volume,bytes32 tag,address apprestrict,address workerpoolrestrict,address requesterrestrict,bytes32 salt",
        ["WorkerpoolOrder"] = "address workerpool,uint256 workerpoolprice,uint256 volume,bytes32 tag,uint256 category,uint256 trust,address apprestrict,address datasetrestrict,address requesterrestrict,bytes32 salt",
        ["RequestOrder"] = "address app,uint256 appmaxprice,address dataset,uint256 datasetmaxprice,address workerpool,uint256 workerpoolmaxprice,address requester,uint256 volume,bytes32 tag,uint256 category,uint256 trust,address beneficiary,address callback,string params,bytes32 salt",
    };

    private static void AssertSameHash(int seed, int i, string typeName, Eip712Domain domain, byte[] actual, object?[] values)
    {
        var pocoFields = PoCoTypes[typeName].Split(',').Select(f => f.Split(' ')).Select(p => (Type: p[0], Name: p[1])).ToArray();
        Assert.Equal(pocoFields.Length, values.Length);
        var fields = new JsonArray(pocoFields.Select(f => (JsonNode)new JsonObject { ["name"] = f.Name, ["type"] = f.Type }).ToArray());
        var message = new JsonObject();
        for (var k = 0; k < values.Length; k++)
        {
            message[pocoFields[k].Name] = values[k] switch
            {
                EthAddress address => address.ToLowerHex(),
                BigInteger number => number.ToString(System.Globalization.CultureInfo.InvariantCulture),
                byte[] bytes => Hex.Encode(bytes),
                string text => text,
                var other => throw new ArgumentException($"unexpected {other?.GetType().Name}"),
            };
        }
        var typedData = new JsonObject
        {
            ["types"] = new JsonObject
            {
                ["EIP712Domain"] = new JsonArray(
                    new JsonObject { ["name"] = "name", ["type"] = "string" },
                    new JsonObject { ["name"] = "version", ["type"] = "string" },
                    new JsonObject { ["name"] = "chainId", ["type"] = "uint256" },
                    new JsonObject { ["name"] = "verifyingContract", ["type"] = "address" }),
                [typeName] = fields,
            },
            ["primaryType"] = typeName,
            ["domain"] = new JsonObject
            {
                ["name"] = domain.Name, ["version"] = domain.Version,
                ["chainId"] = domain.ChainId.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["verifyingContract"] = domain.VerifyingContract.ToLowerHex(),
            },
            ["message"] = message,
        };

        var expected = Eip712TypedDataEncoder.Current.EncodeAndHashTypedData(typedData.ToJsonString());

        Assert.True(Hex.Encode(expected) == Hex.Encode(actual), $"seed {seed}, case {i}: {typeName}");
    }

    private static (byte[] Ours, byte[] Theirs) RandomRlpItem(Random random, int depth)
    {
        if (depth < 3 && random.Next(3) == 0)
        {
            var items = Enumerable.Range(0, random.Next(0, 5)).Select(_ => RandomRlpItem(random, depth + 1)).ToArray();
            return (Rlp.EncodeList(items.Select(x => x.Ours).ToArray()), RLP.EncodeList(items.Select(x => x.Theirs).ToArray()));
        }
        // Lengths around the 55-byte short/long boundary and single bytes below and above 0x80.
        var length = random.Next(4) switch { 0 => 1, 1 => random.Next(50, 60), 2 => random.Next(0, 2000), _ => random.Next(0, 10) };
        var bytes = RandomBytes(random, length);
        return (Rlp.EncodeBytes(bytes), RLP.EncodeElement(bytes));
    }

    private static (int Seed, Random Random) Seeded()
    {
        var seed = Environment.TickCount;
        return (seed, new Random(seed));
    }

    private static string Strip(string hex) => hex.StartsWith("0x", StringComparison.Ordinal) ? hex[2..] : hex;

    private static byte[] RandomBytes(Random random, int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }

    private static BigInteger RandomUnsigned(Random random, int bits)
    {
        var bytes = RandomBytes(random, (bits + 7) / 8);
        var value = new BigInteger(bytes, isUnsigned: true, isBigEndian: true);
        return value & ((BigInteger.One << bits) - 1);
    }

    private static EthAddress RandomAddress(Random random) =>
        random.Next(8) == 0 ? EthAddress.Zero : EthAddress.FromBytes(RandomBytes(random, 20));

    private static string RandomText(Random random)
    {
        string[] pieces = ["", "a", "héllo", "✓", "{\"iexec_args\":\"x\"}", "𝄞", new string('z', 40)];
        return string.Concat(Enumerable.Range(0, random.Next(0, 4)).Select(_ => pieces[random.Next(pieces.Length)]));
    }

    private static byte[] RandomKey(Random random)
    {
        byte[] key;
        do key = RandomBytes(random, 32);
        while (!Secp256k1.IsValidPrivateKey(key));
        return key;
    }
}
