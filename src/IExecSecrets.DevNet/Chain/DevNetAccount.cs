namespace IExecSecrets.DevNet.Chain;

/// <summary>
/// One of anvil's ten deterministic accounts (mnemonic "test test … junk"). The keys are published by Foundry and
/// fund nothing outside a local chain; they are written to devnet.json on purpose.
/// </summary>
public sealed class DevNetAccount : IEthSigner
{
    private readonly byte[] _privateKey;

    internal DevNetAccount(int index, string role, string privateKeyHex)
    {
        Index = index;
        Role = role;
        PrivateKeyHex = privateKeyHex;
        _privateKey = Hex.Decode(privateKeyHex);
        Address = EthAddress.FromPublicKey(Secp256k1.PublicKey(_privateKey));
    }

    /// <summary>The account index in anvil's list (0-9).</summary>
    public int Index { get; }

    /// <summary>What the devnet uses it for: deployer, developer, workerpool, requester.</summary>
    public string Role { get; }

    /// <summary>The published test key as 0x hex.</summary>
    public string PrivateKeyHex { get; }

    /// <inheritdoc />
    public EthAddress Address { get; }

    /// <inheritdoc />
    public Signature SignDigest(ReadOnlySpan<byte> digest32) => Secp256k1.Sign(digest32, _privateKey);

    /// <inheritdoc />
    public Signature SignPersonalMessage(ReadOnlySpan<byte> message) => SignDigest(PersonalMessage.Hash(message));

    /// <summary>
    /// The ten accounts: #0 deploys PoCo (deployer), #1 develops apps (developer), #2 owns the workerpool
    /// (workerpool), #3-#9 request runs (requester). #4 is also the dev worker's account: it sends the worker's own
    /// transactions whenever a deal reaches the worker, so a test that watches a requester's nonce must not use it.
    /// </summary>
    public static IReadOnlyList<DevNetAccount> All { get; } =
    [
        new(0, "deployer", "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80"),
        new(1, "developer", "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d"),
        new(2, "workerpool", "0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a"),
        new(3, "requester", "0x7c852118294e51e653712a81e05800f419141751be58f605c371e15141b007a6"),
        new(4, "requester", "0x47e179ec197488593b187f80a00eb0da91f1b9d0b13f8733639f19c30a34926a"),
        new(5, "requester", "0x8b3a350cf5c34c9194ca85829a2df0ec3153be0318b5e2d3348e872092edffba"),
        new(6, "requester", "0x92db14e403b83dfe3df233f83dfa3a0d7096f21ca9b0d6d6b8d88b2b4ec1564e"),
        new(7, "requester", "0x4bbbf85ce3377467afe5d46f804f221813b2bb87f24d81f60f1fcdbf7cbf4356"),
        new(8, "requester", "0xdbda1821b80551c9d65939329250298aa3472ba22feea921c0cf5d620ea67b97"),
        new(9, "requester", "0x2a871d0798f97d79848a013d4936a73bf4cc922c825d33c1cf7073dff6d409c6"),
    ];
}
