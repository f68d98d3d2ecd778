using System.Security.Cryptography;
using IExecSecrets.Core.Errors;

namespace IExecSecrets.Core.Wallet;

/// <summary>
/// An Ethereum account held in memory: the 32-byte secp256k1 private key lives in one pinned array that the GC never
/// moves or copies, and <see cref="Dispose"/> overwrites it with zeros. Signatures are deterministic (RFC 6979, low-s,
/// v = 27/28), byte-identical to ethers.
/// </summary>
/// <remarks>
/// Honest limits: for each signature or public key, NBitcoin.Secp256k1 gets the key as an <c>ECPrivKey</c> (a
/// 32-byte scalar in a heap object) that <see cref="Secp256k1"/> clears as soon as the call returns, and the
/// library's signer copies the key bytes onto the stack for the RFC 6979 nonce and clears them too. What is not ours
/// to wipe: the GC may have copied those short-lived objects before they were cleared (they are not pinned), and
/// register or stack residue. The pinned array guarantees that the long-lived copy is single and wiped on dispose.
/// /// </remarks>
public sealed class WalletKey : IEthSigner, IDisposable
{
    private readonly byte[] _privateKey;
    private readonly byte[] _publicKey;
    private readonly EthAddress _address;
    private bool _disposed;

    private WalletKey(byte[] pinnedPrivateKey)
    {
        _privateKey = pinnedPrivateKey;
        _publicKey = Secp256k1.PublicKey(pinnedPrivateKey);
        _address = EthAddress.FromPublicKey(_publicKey);
    }

    /// <summary>
    /// Copies <paramref name="privateKey"/> into a new pinned buffer. A key that is not 32 bytes or not in [1, n-1]
    /// throws <see cref="IExecException"/> <see cref="ErrorIds.InvalidPrivateKey"/>; the message never contains the key.
    /// The caller still owns (and should zero) its own buffer.
    /// </summary>
    public static WalletKey FromPrivateKey(ReadOnlySpan<byte> privateKey)
    {
        if (!Secp256k1.IsValidPrivateKey(privateKey)) throw InvalidKey();
        var pinned = GC.AllocateArray<byte>(32, pinned: true);
        privateKey.CopyTo(pinned);
        return new WalletKey(pinned);
    }

    /// <summary>
    /// Parses 64 hex digits, with or without <c>0x</c>, any case, straight into the pinned buffer (no intermediate
    /// string or byte array). Anything else throws <see cref="ErrorIds.InvalidPrivateKey"/>.
    /// </summary>
    public static WalletKey FromHex(ReadOnlySpan<char> hex)
    {
        hex = hex.Trim();
        if (hex.StartsWith("0x", StringComparison.OrdinalIgnoreCase)) hex = hex[2..];
        if (hex.Length != 64) throw InvalidKey();
        var pinned = GC.AllocateArray<byte>(32, pinned: true);
        try
        {
            for (var i = 0; i < 32; i++)
            {
                var high = HexDigitValue(hex[2 * i]);
                var low = HexDigitValue(hex[2 * i + 1]);
                if (high < 0 || low < 0) throw InvalidKey();
                pinned[i] = (byte)((high << 4) | low);
            }
            if (!Secp256k1.IsValidPrivateKey(pinned)) throw InvalidKey();
            return new WalletKey(pinned);
        }
        catch
        {
            CryptographicOperations.ZeroMemory(pinned);
            throw;
        }
    }

    /// <summary>Creates a fresh random account from the operating system's CSPRNG.</summary>
    public static WalletKey Generate()
    {
        var pinned = GC.AllocateArray<byte>(32, pinned: true);
        // Rejection sampling: a value outside [1, n-1] has probability ~2^-128, but it must not become a key.
        do RandomNumberGenerator.Fill(pinned);
        while (!Secp256k1.IsValidPrivateKey(pinned));
        return new WalletKey(pinned);
    }

    /// <summary>The account address (EIP-55 when printed).</summary>
    public EthAddress Address
    {
        get
        {
            ThrowIfDisposed();
            return _address;
        }
    }

    /// <summary>A copy of the 65-byte uncompressed public key, 0x04 ‖ X ‖ Y.</summary>
    public byte[] PublicKey
    {
        get
        {
            ThrowIfDisposed();
            return (byte[])_publicKey.Clone();
        }
    }

    /// <summary>True once <see cref="Dispose"/> has run; every other member then throws <see cref="ObjectDisposedException"/>.</summary>
    public bool IsDisposed => _disposed;

    /// <summary>Signs a 32-byte digest as is (EIP-712 digests, transaction hashes).</summary>
    public Signature SignDigest(ReadOnlySpan<byte> digest32)
    {
        ThrowIfDisposed();
        return Secp256k1.Sign(digest32, _privateKey);
    }

    /// <summary>Signs with the EIP-191 personal-message prefix, as ethers' <c>signMessage</c> does.</summary>
    public Signature SignPersonalMessage(ReadOnlySpan<byte> message)
    {
        ThrowIfDisposed();
        return PersonalMessage.Sign(message, _privateKey);
    }

    /// <summary>
    /// Writes the 32 private-key bytes into <paramref name="destination"/>, for export into a keystore or a vault.
    /// The caller owns that copy and must zero it when done.
    /// </summary>
    public void CopyPrivateKeyTo(Span<byte> destination)
    {
        ThrowIfDisposed();
        if (destination.Length < 32) throw new ArgumentException("The destination must hold 32 bytes.", nameof(destination));
        _privateKey.CopyTo(destination);
    }

    /// <summary>
    /// True when <paramref name="candidate"/> is this private key in a shape a vault keeps keys in: its 32 raw bytes,
    /// or its 64 hex digits as UTF-8 text (either case, <c>0x</c> optional, surrounding whitespace ignored). Used to
    /// refuse pushing the wallet's own key as a secret. The key bytes are compared in constant time
    /// (<see cref="CryptographicOperations.FixedTimeEquals"/>) and hex digits are decoded without branching on their
    /// value, into a stack buffer that is zeroed before returning; no copy of the key is made.
    /// </summary>
    public bool IsKey(ReadOnlySpan<byte> candidate)
    {
        ThrowIfDisposed();
        candidate = candidate.Trim(" \t\r\n"u8);
        if (candidate.Length == 32) return CryptographicOperations.FixedTimeEquals(candidate, _privateKey);
        if (candidate.Length == 66 && candidate[0] == (byte)'0' && (candidate[1] | 0x20) == 'x') candidate = candidate[2..];
        if (candidate.Length != 64) return false;
        Span<byte> decoded = stackalloc byte[32];
        try
        {
            var invalid = 0;
            for (var i = 0; i < 32; i++)
            {
                decoded[i] = (byte)((HexNibble(candidate[2 * i], ref invalid) << 4) | HexNibble(candidate[(2 * i) + 1], ref invalid));
            }

            // Both sides are evaluated: no early exit tells how far a guess got.
            return CryptographicOperations.FixedTimeEquals(decoded, _privateKey) & invalid == 0;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(decoded);
        }
    }

    // The value of an ASCII hex digit without a data-dependent branch; sets invalid when c is not one.
    private static int HexNibble(byte c, ref int invalid)
    {
        var digit = c - '0';
        var letter = (c | 0x20) - 'a';
        // All ones when 0 <= x <= max, zero otherwise (the sign bit of x or of max - x).
        var isDigit = ~((digit | (9 - digit)) >> 31);
        var isLetter = ~((letter | (5 - letter)) >> 31);
        invalid |= ~(isDigit | isLetter) & 1;
        return (digit & isDigit) | ((letter + 10) & isLetter);
    }

    /// <summary>Overwrites the private key with zeros. Safe to call more than once.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        CryptographicOperations.ZeroMemory(_privateKey);
        _disposed = true;
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(_disposed, this);

    private static int HexDigitValue(char c) => c switch
    {
        >= '0' and <= '9' => c - '0',
        >= 'a' and <= 'f' => c - 'a' + 10,
        >= 'A' and <= 'F' => c - 'A' + 10,
        _ => -1,
    };

    private static IExecException InvalidKey() => new(
        ErrorIds.InvalidPrivateKey,
        "The private key is invalid: expected 32 bytes (64 hex digits) in the secp256k1 range [1, n-1].");
}
