namespace IExecSecrets.Core.Tests.Vectors;

/// <summary>Every wallet, EIP-712, order, tag and keystore value of the vector file (tests/vectors), read at test time.</summary>
public sealed class VectorTests
{
    private static readonly Eip712Domain Bellecour = new(
        TestVectors.Text("eip712.domain.name"),
        TestVectors.Text("eip712.domain.version"),
        BigInteger.Parse(TestVectors.Text("eip712.domain.chainId")),
        EthAddress.Parse(TestVectors.Text("eip712.domain.verifyingContract")));

    private static WalletKey VectorKey() => WalletKey.FromHex(TestVectors.Text("privateKey"));

    [Fact]
    public void WalletKey_VectorPrivateKey_GivesVectorAddressAndPublicKey()
    {
        using var key = VectorKey();

        Assert.Equal(TestVectors.Text("address"), key.Address.ToString());
        Assert.Equal(TestVectors.Text("uncompressedPublicKey"), Hex.Encode(key.PublicKey));
    }

    [Fact]
    public void SmsDomain_Keccak_MatchesVector()
    {
        Assert.Equal(TestVectors.Text("keccak_IEXEC_SMS_DOMAIN"), Hex.Encode(Keccak256.HashUtf8("IEXEC_SMS_DOMAIN")));
    }

    public static TheoryData<string> SmsVectorNames()
    {
        var names = new TheoryData<string>();
        foreach (var property in TestVectors.Element("sms").EnumerateObject()) names.Add(property.Name);
        return names;
    }

    [Theory]
    [MemberData(nameof(SmsVectorNames))]
    public void SmsVector_ChallengeDigestAndAuthorization_MatchSdk(string name)
    {
        var vector = TestVectors.Element("sms").GetProperty(name);
        using var key = VectorKey();
        var challenge = Keccak256.Hash(Hex.Decode(vector.GetProperty("preimage").GetString()!));

        var authorization = key.SignPersonalMessage(challenge).ToHex();

        Assert.Equal(vector.GetProperty("challenge").GetString(), Hex.Encode(challenge));
        Assert.Equal(vector.GetProperty("eip191Digest").GetString(), Hex.Encode(PersonalMessage.Hash(challenge)));
        Assert.Equal(vector.GetProperty("authorization").GetString(), authorization);
    }

    [Fact]
    public void DomainSeparator_BellecourAndArbitrumSepolia_MatchVectors()
    {
        var arbitrumSepolia = Eip712Domain.ForHub(421614, EthAddress.Parse("0xB2157BF2fAb286b2A4170E3491Ac39770111Da3E"));

        Assert.Equal(TestVectors.Text("eip712.domainSeparator"), Hex.Encode(Bellecour.Separator()));
        Assert.Equal(TestVectors.Text("eip712.domainSeparator_arbitrumSepolia"), Hex.Encode(arbitrumSepolia.Separator()));
        Assert.Equal(Bellecour, Eip712Domain.ForHub(134, Bellecour.VerifyingContract));
        Assert.Equal("0x8b73c3c69bb8fe3d512ecc4cf759cc79239f7b179b0ffacaa9a75d522b39400f", Hex.Encode(TypedDataHasher.DomainType.TypeHash));
    }

    public static TheoryData<string> OrderTypeNames() => new() { "AppOrder", "DatasetOrder", "WorkerpoolOrder", "RequestOrder" };

    [Theory]
    [MemberData(nameof(OrderTypeNames))]
    public void OrderType_EncodeTypeAndTypeHash_MatchVectors(string name)
    {
        var type = name switch
        {
            "AppOrder" => AppOrder.Eip712Type,
            "DatasetOrder" => DatasetOrder.Eip712Type,
            "WorkerpoolOrder" => WorkerpoolOrder.Eip712Type,
            _ => RequestOrder.Eip712Type,
        };

        Assert.Equal(TestVectors.Text($"eip712.encodeType.{name}"), type.EncodeType);
        Assert.Equal(TestVectors.Text($"eip712.typeHashes.{name}"), Hex.Encode(type.TypeHash));
    }

    [Fact]
    public void AppOrder_Vector_HashAndSignMatch()
    {
        var vector = OrderJson.App(TestVectors.Element("eip712.apporder"));
        using var key = VectorKey();

        var signed = (vector with { Sign = "0x" }).SignWith(key, Bellecour);

        Assert.Equal(TestVectors.Text("eip712.hashes.apporder"), Hex.Encode(vector.Hash(Bellecour)));
        Assert.Equal(vector.Sign, signed.Sign);
        Assert.Equal(key.Address, signed.RecoverSigner(Bellecour));
    }

    [Fact]
    public void WorkerpoolOrder_Vector_HashAndSignMatch()
    {
        var vector = OrderJson.Workerpool(TestVectors.Element("eip712.workerpoolorder"));
        using var key = VectorKey();

        var signed = (vector with { Sign = "0x" }).SignWith(key, Bellecour);

        Assert.Equal(TestVectors.Text("eip712.hashes.workerpoolorder"), Hex.Encode(vector.Hash(Bellecour)));
        Assert.Equal(vector.Sign, signed.Sign);
    }

    [Fact]
    public void RequestOrder_Vector_HashSignDealIdAndTaskIdMatch()
    {
        var vector = OrderJson.Request(TestVectors.Element("eip712.requestorder"));
        using var key = VectorKey();

        var hash = vector.Hash(Bellecour);
        var signed = (vector with { Sign = "0x" }).SignWith(key, Bellecour);
        var dealId = ExecutionIds.DealId(hash, consumed: 0);

        Assert.Equal(TestVectors.Text("eip712.hashes.requestorder"), Hex.Encode(hash));
        Assert.Equal(vector.Sign, signed.Sign);
        Assert.Equal(TestVectors.Text("dealid_ifRequestorderConsumedWas0"), Hex.Encode(dealId));
        Assert.Equal(TestVectors.Text("taskid_idx0"), Hex.Encode(ExecutionIds.TaskId(dealId, 0)));
    }

    [Fact]
    public void DatasetOrderNull_EqualsVectorNullOrder()
    {
        var vector = OrderJson.Dataset(TestVectors.Element("eip712.datasetorder"));
        var nullOrder = DatasetOrder.Null;

        Assert.Equal(vector.ToMatchOrdersTuple().Select(Describe), nullOrder.ToMatchOrdersTuple().Select(Describe));
        Assert.Equal("0x", nullOrder.Sign);
    }

    [Fact]
    public void MatchOrdersCalldata_VectorOrders_EqualsVectorCalldata()
    {
        var app = OrderJson.App(TestVectors.Element("eip712.apporder"));
        var dataset = OrderJson.Dataset(TestVectors.Element("eip712.datasetorder"));
        var workerpool = OrderJson.Workerpool(TestVectors.Element("eip712.workerpoolorder"));
        var request = OrderJson.Request(TestVectors.Element("eip712.requestorder"));

        var calldata = PoCoHub.EncodeMatchOrders(app.ToMatchOrdersTuple(), dataset.ToMatchOrdersTuple(),
            workerpool.ToMatchOrdersTuple(), request.ToMatchOrdersTuple());

        Assert.Equal(TestVectors.Element("matchOrders.calldataLengthBytes").GetInt32(), calldata.Length);
        Assert.Equal(TestVectors.Text("matchOrders.calldataKeccak"), Hex.Encode(Keccak256.Hash(calldata)));
        Assert.Equal(TestVectors.Text("matchOrders.calldata"), Hex.Encode(calldata));
    }

    public static TheoryData<string> TagNames()
    {
        var names = new TheoryData<string>();
        foreach (var property in TestVectors.Element("tags").EnumerateObject()) names.Add(property.Name);
        return names;
    }

    [Theory]
    [MemberData(nameof(TagNames))]
    public void OrderTag_VectorNames_ParseToVectorBytes(string names)
    {
        var tag = OrderTag.Parse(names, allowTeeWithoutFramework: names == "tee");

        Assert.Equal(TestVectors.Element("tags").GetProperty(names).GetString(), OrderTag.ToHex(tag));
        Assert.Equal(names.Split(','), OrderTag.Names(tag));
    }

    [Fact]
    public void KeystoreScryptVector_Decrypt_GivesVectorKey()
    {
        var json = TestVectors.Element("keystore_v3_light_scrypt.json").GetRawText();
        var password = Encoding.UTF8.GetBytes(TestVectors.Text("keystore_v3_light_scrypt.password"));

        using var key = KeystoreV3.Decrypt(json, password);

        Assert.Equal(TestVectors.Text("address"), key.Address.ToString());
        Assert.Equal(TestVectors.Text("address"), KeystoreV3.ReadAddress(json).ToString());
    }

    [Fact]
    public void KeystoreScryptVector_DerivedKey_ProducesVectorMac()
    {
        var derivedKey = Hex.Decode(TestVectors.Text("keystore_v3_light_scrypt.derivedKey"));
        var ciphertext = Hex.Decode(TestVectors.Text("keystore_v3_light_scrypt.json.Crypto.ciphertext"));

        var mac = Keccak256.Hash(derivedKey[16..], ciphertext);

        Assert.Equal(TestVectors.Text("keystore_v3_light_scrypt.json.Crypto.mac"), Hex.Encode(mac, prefix: false));
    }

    [Fact]
    public void KeystoreScryptVector_EncryptWithVectorParameters_ReproducesFileExactly()
    {
        using var key = VectorKey();
        var options = new KeystoreEncryptionOptions
        {
            ScryptN = TestVectors.Element("keystore_v3_light_scrypt.json.Crypto.kdfparams.n").GetInt32(),
            Salt = Hex.Decode(TestVectors.Text("keystore_v3_light_scrypt.json.Crypto.kdfparams.salt")),
            Iv = Hex.Decode(TestVectors.Text("keystore_v3_light_scrypt.json.Crypto.cipherparams.iv")),
            UuidBytes = Hex.Decode(TestVectors.Text("keystore_v3_light_scrypt.json.id").Replace("-", "")),
        };

        var json = KeystoreV3.Encrypt(key, "test"u8, options);

        var expected = JsonSerializer.Serialize(TestVectors.Element("keystore_v3_light_scrypt.json"), new JsonSerializerOptions { WriteIndented = true })
            .ReplaceLineEndings("\n");
        Assert.Equal(expected, json);
        Assert.StartsWith("{\n  \"address\": \"fcad0b19bb29d4674531d6f115237e16afce377c\",\n  \"id\"", json);
    }

    [Fact]
    public void KeystorePbkdf2Vector_Decrypt_GivesVectorKey()
    {
        var json = TestVectors.Element("keystore_v3_pbkdf2_reader_check.json").GetRawText();
        var password = Encoding.UTF8.GetBytes(TestVectors.Text("keystore_v3_pbkdf2_reader_check.password"));

        using var key = KeystoreV3.Decrypt(json, password);

        Assert.Equal(TestVectors.Text("address"), key.Address.ToString());
    }

    [Fact]
    public void UnencryptedWalletVector_ToJsonAndBack_MatchesVector()
    {
        using var key = VectorKey();
        var vector = TestVectors.Element("unencrypted_wallet_json");

        var json = UnencryptedWallet.ToJson(key);
        using var read = UnencryptedWallet.FromJson(vector.GetRawText());

        var expected = JsonSerializer.Serialize(vector, new JsonSerializerOptions { WriteIndented = true }).ReplaceLineEndings("\n");
        Assert.Equal(expected, json);
        Assert.Equal(key.Address, read.Address);
    }

    private static string Describe(object? value) => value switch
    {
        byte[] bytes => Hex.Encode(bytes),
        _ => value?.ToString() ?? "null",
    };
}
