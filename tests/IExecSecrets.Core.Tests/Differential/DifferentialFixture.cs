using System.Globalization;
using IExecSecrets.Core.Tests.Vectors;

namespace IExecSecrets.Core.Tests.Differential;

/// <summary>
/// Generates every differential case from one seed (<c>$IEXEC_DIFF_SEED</c>, otherwise random), asks the node oracle
/// about all of them in one process, and keeps both sides for the comparison tests.
/// </summary>
public sealed class DifferentialFixture
{
    public const int AddressCases = 200;
    public const int SmsCases = 200;
    public const int OrderCases = 200;
    public const int TagCases = 200;
    public const int KeystoreCases = 12;
    public const int AmountCases = 300;
    public const int MultiaddrCases = 20;

    /// <summary>The market answers whose errors MarketClient words like the SDK: status, content type, body.</summary>
    public static readonly (int Status, string ContentType, string Body)[] MarketAnswers =
    [
        (503, "text/plain", "down"),
        (500, "application/json", "{\"ok\":false,\"error\":\"boom\"}"),
        (404, "text/plain", "Not Found"),
        (400, "application/json", "{\"ok\":false,\"error\":\"invalid query\"}"),
        (200, "application/json", "{\"ok\":false}"),
    ];

    private static readonly string[] TagWords = ["tee", "scone", "gramine", "tdx", "gpu", "foo", "TEE", "", " tee", "sgx"];
    private static readonly string[] OrderTypes = ["AppOrder", "DatasetOrder", "WorkerpoolOrder", "RequestOrder"];
    private static readonly string[] SmsKinds = ["requester", "app", "web2", "web3"];

    // Code points from several UTF-8 widths: ASCII, Latin-1, Greek, CJK, emoji (a surrogate pair), a combining mark.
    private static readonly string[] TextPieces =
        ["a", "Z", "7", "_", "-", " ", ";", "=", "\"", "é", "ß", "Ω", "ж", "漢", "字", "😀", "🔐", "e\u0301", "\u00a0", "ﬁ", "\n", "\t"];

    public DifferentialFixture()
    {
        Seed = Environment.GetEnvironmentVariable("IEXEC_DIFF_SEED") is { Length: > 0 } fixedSeed
            ? int.Parse(fixedSeed, CultureInfo.InvariantCulture)
            : Random.Shared.Next();
        var random = new Random(Seed);

        var request = new JsonObject
        {
            ["addresses"] = new JsonArray(Enumerable.Range(0, AddressCases).Select(_ => AddressCase(random)).ToArray<JsonNode?>()),
            ["sms"] = new JsonArray(Enumerable.Range(0, SmsCases).Select(i => SmsCase(random, i)).ToArray<JsonNode?>()),
            ["orders"] = new JsonArray(Enumerable.Range(0, OrderCases).Select(i => OrderCase(random, i)).ToArray<JsonNode?>()),
            ["tags"] = new JsonArray(Enumerable.Range(0, TagCases).Select(_ => TagCase(random)).ToArray<JsonNode?>()),
            ["amounts"] = new JsonArray(Enumerable.Range(0, AmountCases).Select(_ => AmountCase(random)).ToArray<JsonNode?>()),
            ["keystoreFromEthers"] = new JsonArray(Enumerable.Range(0, KeystoreCases).Select(i => KeystoreFromEthersCase(random, i)).ToArray<JsonNode?>()),
            ["keystoreIntoEthers"] = new JsonArray(Enumerable.Range(0, KeystoreCases).Select(i => KeystoreIntoEthersCase(random, i)).ToArray<JsonNode?>()),
            ["multiaddrs"] = new JsonArray(Enumerable.Range(0, MultiaddrCases).Select(_ => MultiaddrCase(random)).ToArray<JsonNode?>()),
            ["marketErrors"] = new JsonArray(MarketAnswers
                .Select(a => (JsonNode?)new JsonObject { ["status"] = a.Status, ["contentType"] = a.ContentType, ["body"] = a.Body })
                .Append(new JsonObject { ["status"] = 0, ["contentType"] = "", ["body"] = "", ["closedPort"] = LoopbackPorts.Closed() })
                .ToArray()),
        };
        Request = JsonDocument.Parse(request.ToJsonString()).RootElement.Clone();
        Answer = NodeOracle.Run(request, TimeSpan.FromSeconds(60));
    }

    /// <summary>The seed every case came from; failures print it so a run can be replayed.</summary>
    public int Seed { get; }

    /// <summary>What was sent, section by section.</summary>
    public JsonElement Request { get; }

    /// <summary>What the oracle answered, one result per case, same order.</summary>
    public JsonElement Answer { get; }

    /// <summary>Pairs each case of <paramref name="section"/> with its answer.</summary>
    public IEnumerable<(int Index, JsonElement Case, JsonElement Answer)> Cases(string section)
    {
        var cases = Request.GetProperty(section).EnumerateArray().ToArray();
        var answers = Answer.GetProperty(section).EnumerateArray().ToArray();
        if (cases.Length != answers.Length) throw new InvalidOperationException($"{section}: {cases.Length} cases but {answers.Length} answers.");
        return cases.Select((c, i) => (i, c, answers[i]));
    }

    internal static byte[] RandomPrivateKey(Random random)
    {
        var key = new byte[32];
        do random.NextBytes(key);
        while (!Secp256k1.IsValidPrivateKey(key));
        return key;
    }

    // Amount texts from pieces the SDK reads or refuses: leading zeros, signs, fractions of every length, the two
    // units with and without the space and in other cases, foreign units and separators.
    private static readonly string[] AmountUnits = ["", "", " RLC", " nRLC", " RLC", " nRLC", "RLC", " rlc", " NRLC", " ETH", " wei", "  RLC"];
    private static readonly string[] AmountOddities = ["", "", "", "", "-", "+", " ", "0", "00"];

    private static JsonObject AmountCase(Random random)
    {
        string Digits(int max) => new(Enumerable.Range(0, random.Next(0, max + 1)).Select(_ => (char)('0' + random.Next(10))).ToArray());
        var whole = Digits(random.Next(4) == 0 ? 25 : 6);
        var form = random.Next(6);
        // A number has digits somewhere (the SDK reads a bare unit, " RLC", as 0; that is no amount anyone types).
        if (whole.Length == 0 && form != 0) whole = "7";
        var text = AmountOddities[random.Next(AmountOddities.Length)] + whole;
        switch (form)
        {
            case 0: text += "." + (whole.Length == 0 ? "5" : "") + Digits(12); break;
            case 1: text += "."; break;
            case 2: text += random.Next(2) == 0 ? "e3" : ",5"; break;
        }
        text += AmountUnits[random.Next(AmountUnits.Length)];
        // The SDK reads "" as 0; the cmdlets never pass an empty amount (a mandatory, non-empty parameter).
        return new JsonObject { ["text"] = text.Length == 0 ? "0" : text };
    }

    // An IPFS multiaddr as the multiaddr spec lays it out, not as our codec writes it: protocol ipfs/p2p (421, varint
    // 0xa5 0x03), the length 34 (0x22), then a CIDv0 multihash: sha2-256 (0x12), 32 bytes (0x20), a random digest.
    private static JsonObject MultiaddrCase(Random random)
    {
        var digest = new byte[32];
        random.NextBytes(digest);
        return new JsonObject { ["hex"] = "0xa503221220" + Convert.ToHexStringLower(digest) };
    }

    private static JsonObject AddressCase(Random random) => new() { ["privateKey"] = Hex.Encode(RandomPrivateKey(random)) };

    private static JsonObject SmsCase(Random random, int index)
    {
        var kind = SmsKinds[index % SmsKinds.Length];
        var value = (index / SmsKinds.Length % 10) switch
        {
            0 => "",
            1 => ExactUtf8Length(random, 4096),
            _ => RandomText(random, random.Next(1, 60)),
        };
        var item = new JsonObject
        {
            ["privateKey"] = Hex.Encode(RandomPrivateKey(random)),
            ["kind"] = kind,
            ["value"] = value,
        };
        // Every other named case uses only the characters the module accepts in a name ([A-Za-z0-9_-], 1 to 64), so
        // SmsClient can send it and its request can be compared with the SDK's; the others test the challenge alone.
        if (kind is "requester" or "web2")
            item["name"] = index / SmsKinds.Length % 2 == 0 ? ModuleName(random) : RandomText(random, random.Next(1, 24), forUrl: true);
        if (kind is "app" or "web3") item["target"] = RandomAddress(random).ToString();
        return item;
    }

    private static JsonObject OrderCase(Random random, int index)
    {
        var type = OrderTypes[index % OrderTypes.Length];
        var domain = new Eip712Domain(RandomText(random, random.Next(0, 12)), RandomText(random, random.Next(0, 6)),
            RandomUint256(random), RandomAddress(random));
        var salt = new byte[32];
        random.NextBytes(salt);
        var tag = new byte[32];
        random.NextBytes(tag.AsSpan(random.Next(0, 33)));
        object?[] values = type switch
        {
            "AppOrder" => new AppOrder
            {
                App = RandomAddress(random), AppPrice = RandomUint256(random), Volume = RandomUint256(random), Tag = tag,
                DatasetRestrict = RandomAddress(random), WorkerpoolRestrict = RandomAddress(random),
                RequesterRestrict = RandomAddress(random), Salt = salt,
            }.ToMatchOrdersTuple(),
            "DatasetOrder" => new DatasetOrder
            {
                Dataset = RandomAddress(random), DatasetPrice = RandomUint256(random), Volume = RandomUint256(random), Tag = tag,
                AppRestrict = RandomAddress(random), WorkerpoolRestrict = RandomAddress(random),
                RequesterRestrict = RandomAddress(random), Salt = salt,
            }.ToMatchOrdersTuple(),
            "WorkerpoolOrder" => new WorkerpoolOrder
            {
                Workerpool = RandomAddress(random), WorkerpoolPrice = RandomUint256(random), Volume = RandomUint256(random),
                Tag = tag, Category = RandomUint256(random), Trust = RandomUint256(random), AppRestrict = RandomAddress(random),
                DatasetRestrict = RandomAddress(random), RequesterRestrict = RandomAddress(random), Salt = salt,
            }.ToMatchOrdersTuple(),
            _ => new RequestOrder
            {
                App = RandomAddress(random), AppMaxPrice = RandomUint256(random), Dataset = RandomAddress(random),
                DatasetMaxPrice = RandomUint256(random), Workerpool = RandomAddress(random),
                WorkerpoolMaxPrice = RandomUint256(random), Requester = RandomAddress(random), Volume = RandomUint256(random),
                Tag = tag, Category = RandomUint256(random), Trust = RandomUint256(random), Beneficiary = RandomAddress(random),
                Callback = RandomAddress(random), Params = RandomText(random, random.Next(0, 80)), Salt = salt,
            }.ToMatchOrdersTuple(),
        };
        var typedDataType = TypeOf(type);
        var item = new JsonObject
        {
            ["type"] = type,
            ["domain"] = new JsonObject
            {
                ["name"] = domain.Name,
                ["version"] = domain.Version,
                ["chainId"] = domain.ChainId.ToString(CultureInfo.InvariantCulture),
                ["verifyingContract"] = domain.VerifyingContract.ToString(),
            },
            ["message"] = OrderJson.Message(typedDataType, values[..^1]),
            ["privateKey"] = Hex.Encode(RandomPrivateKey(random)),
        };
        if (type == "RequestOrder")
        {
            item["consumed"] = RandomUint256(random).ToString(CultureInfo.InvariantCulture);
            item["taskIndex"] = RandomUint256(random).ToString(CultureInfo.InvariantCulture);
        }
        return item;
    }

    private static JsonObject TagCase(Random random)
    {
        string text;
        switch (random.Next(6))
        {
            case 0:
                var bytes = new byte[random.Next(0, 3) == 0 ? random.Next(0, 40) : 32];
                random.NextBytes(bytes.AsSpan(Math.Max(0, bytes.Length - 2)));
                var hex = Hex.Encode(bytes);
                text = random.Next(2) == 0 ? hex.ToUpperInvariant().Replace("0X", "0x") : hex;
                break;
            default:
                var count = random.Next(0, 5);
                text = string.Join(",", Enumerable.Range(0, count).Select(_ => TagWords[random.Next(TagWords.Length)]));
                break;
        }
        return new JsonObject { ["text"] = text, ["allowAgnosticTee"] = random.Next(2) == 0 };
    }

    private static JsonObject KeystoreFromEthersCase(Random random, int index) => new()
    {
        ["privateKey"] = Hex.Encode(RandomPrivateKey(random)),
        ["password"] = index == 0 ? "" : RandomText(random, random.Next(1, 20)),
        ["n"] = 1024,
    };

    private static JsonObject KeystoreIntoEthersCase(Random random, int index)
    {
        using var key = WalletKey.FromPrivateKey(RandomPrivateKey(random));
        var password = index == 0 ? "" : RandomText(random, random.Next(1, 20));
        var salt = new byte[32];
        var iv = new byte[16];
        var uuid = new byte[16];
        random.NextBytes(salt);
        random.NextBytes(iv);
        random.NextBytes(uuid);
        var json = KeystoreV3.Encrypt(key, PasswordBytes(password),
            new KeystoreEncryptionOptions { ScryptN = 1024, Salt = salt, Iv = iv, UuidBytes = uuid });
        return new JsonObject
        {
            ["json"] = json,
            ["password"] = password,
            ["expectedAddress"] = key.Address.ToString(),
        };
    }

    /// <summary>The bytes ethers derives a key from for a string password: UTF-8 of its NFKC form.</summary>
    internal static byte[] PasswordBytes(string password) => Encoding.UTF8.GetBytes(password.Normalize(NormalizationForm.FormKC));

    internal static TypedDataType TypeOf(string type) => type switch
    {
        "AppOrder" => AppOrder.Eip712Type,
        "DatasetOrder" => DatasetOrder.Eip712Type,
        "WorkerpoolOrder" => WorkerpoolOrder.Eip712Type,
        _ => RequestOrder.Eip712Type,
    };

    private static EthAddress RandomAddress(Random random)
    {
        if (random.Next(8) == 0) return EthAddress.Zero;
        var bytes = new byte[20];
        random.NextBytes(bytes);
        return EthAddress.FromBytes(bytes);
    }

    private static BigInteger RandomUint256(Random random)
    {
        switch (random.Next(5))
        {
            case 0: return BigInteger.Zero;
            case 1: return random.Next(1, 1000);
            case 2: return (BigInteger.One << 256) - 1;
            default:
                var bytes = new byte[random.Next(1, 33)];
                random.NextBytes(bytes);
                return new BigInteger(bytes, isUnsigned: true, isBigEndian: true);
        }
    }

    private static string RandomText(Random random, int pieces, bool forUrl = false)
    {
        var builder = new StringBuilder();
        for (var i = 0; i < pieces; i++)
        {
            var piece = TextPieces[random.Next(TextPieces.Length)];
            // Names travel in the SDK's request URL, where '"', whitespace and control characters are still fine but
            // would make the captured URL harder to read; the challenge does not care either way.
            if (forUrl && piece is "\"" or " " or "\n" or "\t" or "\u00a0") piece = "_";
            builder.Append(piece);
        }
        return builder.ToString();
    }

    private static string ModuleName(Random random)
    {
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-";
        return string.Concat(Enumerable.Range(0, random.Next(1, 65)).Select(_ => alphabet[random.Next(alphabet.Length)]));
    }

    private static string ExactUtf8Length(Random random, int byteLength)
    {
        var builder = new StringBuilder();
        var bytes = 0;
        while (true)
        {
            var piece = TextPieces[random.Next(TextPieces.Length)];
            var size = Encoding.UTF8.GetByteCount(piece);
            if (bytes + size > byteLength) break;
            builder.Append(piece);
            bytes += size;
        }
        builder.Append('x', byteLength - bytes);
        return builder.ToString();
    }
}
