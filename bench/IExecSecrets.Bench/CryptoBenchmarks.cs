using BenchmarkDotNet.Attributes;
using IExecSecrets.Core.Crypto;
using IExecSecrets.Core.Sms;
using IExecSecrets.Core.Wallet;

namespace IExecSecrets.Bench;

/// <summary>Micro-benchmarks of the primitives every push pays for: hashing, signing, recovery, the SMS header.</summary>
[ShortRunJob]
[MemoryDiagnoser]
public class CryptoBenchmarks
{
    private readonly WalletKey _key = WalletKey.FromPrivateKey(Hex.Decode("0x0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"));
    private readonly byte[] _digest = Keccak256.HashUtf8("digest");
    private Signature _signature = null!;

    [GlobalSetup]
    public void Setup() => _signature = _key.SignDigest(_digest);

    [Benchmark]
    public byte[] Keccak32Bytes() => Keccak256.Hash(_digest);

    [Benchmark]
    public Signature SignDigest() => _key.SignDigest(_digest);

    [Benchmark]
    public EthAddress RecoverAddress() => Secp256k1.RecoverAddress(_digest, _signature);

    [Benchmark]
    public string RequesterSecretAuthorization()
    {
        var challenge = SmsChallenge.ForRequesterSecret(_key.Address, "x1", "1"u8);
        return SmsChallenge.Authorization(_key, challenge);
    }
}
