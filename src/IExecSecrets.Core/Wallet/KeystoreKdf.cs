using System.Buffers.Binary;
using System.Numerics;
using System.Security.Cryptography;

namespace IExecSecrets.Core.Wallet;

/// <summary>
/// The two keystore key-derivation functions, written so that they can be stopped: scrypt (RFC 7914) and PBKDF2
/// (RFC 8018) check a <see cref="CancellationToken"/> every few milliseconds of work and throw
/// <see cref="OperationCanceledException"/>, so Ctrl+C on <c>Connect-IExecWallet</c> returns at once instead of after
/// the whole derivation. Every buffer that holds password-derived state (scrypt's B, X and V arrays, PBKDF2's U and T
/// blocks) is this class's own and is zeroed before returning, cancelled or not.
/// </summary>
/// <remarks>
/// Why not BouncyCastle's <c>SCrypt.Generate</c> or the BCL's <c>Rfc2898DeriveBytes.Pbkdf2</c>: neither takes a
/// cancellation token, and running them on a worker thread that is abandoned on Ctrl+C would leave that thread
/// burning a core and holding up to <see cref="MaxScryptMemoryBytes"/> until it finishes, which on a small machine is
/// not "returned promptly". scrypt's two PBKDF2-HMAC-SHA256 steps use a single iteration each and stay on the BCL;
/// the cost is all in ROMix, which is here. Equality with BouncyCastle and RFC 7914's vectors is tested.
/// </remarks>
internal static class KeystoreKdf
{
    /// <summary>
    /// scrypt memory bound, 128·n·r bytes ≤ 256 MiB: exactly geth's "standard" keystores (n = 2^18, r = 8), the most
    /// expensive parameters any mainstream writer uses by default (ethers v6 and so the iexec CLI: n = 2^17, r = 8;
    /// geth light: n = 2^12, r = 8, p = 6; web3.py: n = 2^18, r = 8).
    /// </summary>
    public const long MaxScryptMemoryBytes = 256L * 1024 * 1024;

    /// <summary>
    /// scrypt work bound, n·r·p ≤ 2^22 (two geth standard files' worth, four iexec CLI files' worth): the number of
    /// 128-byte Salsa20/8 block mixes is 2·n·r·p, so this caps a hostile file at a few seconds of CPU.
    /// </summary>
    public const long MaxScryptWork = 1L << 22;

    /// <summary>scrypt r and p above 64 are never written by any wallet; bounding them keeps B (128·r·p bytes) small.</summary>
    public const int MaxScryptR = 64;

    /// <summary>See <see cref="MaxScryptR"/>.</summary>
    public const int MaxScryptP = 64;

    /// <summary>
    /// PBKDF2 iteration bound, 2^22 (4,194,304): 16 times the Web3 Secret Storage example's 262,144 and 7 times
    /// OWASP's 600,000 for PBKDF2-HMAC-SHA256, yet a few seconds of CPU at most.
    /// </summary>
    public const int MaxPbkdf2Iterations = 1 << 22;

    /// <summary>A salt is 32 bytes in every writer we know; more than 1 KiB is not a salt.</summary>
    public const int MaxSaltBytes = 1024;

    // Cancellation is polled every this many ROMix steps (each 2r Salsa20/8 cores) or PBKDF2 iterations:
    // around a millisecond of work, so a stop is seen promptly without measurable overhead.
    private const int ScryptPollInterval = 256;
    private const int Pbkdf2PollInterval = 4096;

    /// <summary>
    /// Null when (n, r, p) are within the bounds above, else a message naming the parameter and its limit.
    /// </summary>
    public static string? CheckScrypt(long n, long r, long p)
    {
        if (n < 2 || (n & (n - 1)) != 0) return $"scrypt n = {n} is not a power of two of at least 2.";
        if (r < 1 || r > MaxScryptR) return $"scrypt r = {r} is outside 1..{MaxScryptR}.";
        if (p < 1 || p > MaxScryptP) return $"scrypt p = {p} is outside 1..{MaxScryptP}.";
        // Checked: n comes from a file, and n = 2^57, r = 64 wraps 128·n·r to 0 (and n·r·p to a negative number), which an
        // unchecked product would let through. An overflow is over any limit.
        if (CheckedProduct(128, n, r) is not { } memory || memory > MaxScryptMemoryBytes)
            return $"scrypt n = {n}, r = {r} need 128·n·r = {(System.Numerics.BigInteger)128 * n * r} bytes of memory; the limit is {MaxScryptMemoryBytes} (256 MiB).";
        if (CheckedProduct(n, r, p) is not { } work || work > MaxScryptWork)
            return $"scrypt n = {n}, r = {r}, p = {p} give n·r·p = {(System.Numerics.BigInteger)n * r * p}; the limit is {MaxScryptWork} (2^22).";
        return null;
    }

    private static long? CheckedProduct(long a, long b, long c)
    {
        try
        {
            return checked(a * b * c);
        }
        catch (OverflowException)
        {
            return null;
        }
    }

    /// <summary>Null when <paramref name="iterations"/> is within 1..<see cref="MaxPbkdf2Iterations"/>, else why not.</summary>
    public static string? CheckPbkdf2(long iterations) =>
        iterations is < 1 or > MaxPbkdf2Iterations
            ? $"pbkdf2 c = {iterations} is outside 1..{MaxPbkdf2Iterations} (2^22)."
            : null;

    /// <summary>scrypt(password, salt, n, r, p) into <paramref name="output"/>; parameters must pass <see cref="CheckScrypt"/>.</summary>
    public static void Scrypt(ReadOnlySpan<byte> password, ReadOnlySpan<byte> salt, int n, int r, int p, Span<byte> output,
        CancellationToken cancellationToken)
    {
        if (CheckScrypt(n, r, p) is { } problem) throw new ArgumentException(problem);
        cancellationToken.ThrowIfCancellationRequested();
        var blockBytes = 128 * r;
        var words = 32 * r;
        // Pinned so the GC never leaves a moved copy of derived state behind; V is the big one (128·n·r bytes).
        var b = GC.AllocateArray<byte>(blockBytes * p, pinned: true);
        var x = GC.AllocateArray<uint>(words, pinned: true);
        var y = GC.AllocateArray<uint>(words, pinned: true);
        var v = GC.AllocateUninitializedArray<uint>(words * n, pinned: true);
        // How much of V holds derived state: only that part is cleared. A stop early in the first lane leaves most of the
        // 128·n·r bytes untouched, and clearing them would fault in every untouched page first (measured: ~0.5 s of CPU
        // for 256 MiB under load, spent after the stop was seen).
        var written = 0;
        try
        {
            Rfc2898DeriveBytes.Pbkdf2(password, salt, b, 1, HashAlgorithmName.SHA256);
            for (var lane = 0; lane < p; lane++)
            {
                RoMix(b.AsSpan(lane * blockBytes, blockBytes), r, n, x, y, v, ref written, cancellationToken);
            }
            Rfc2898DeriveBytes.Pbkdf2(password, b, output, 1, HashAlgorithmName.SHA256);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(b);
            Array.Clear(x);
            Array.Clear(y);
            Array.Clear(v, 0, written);
        }
    }

    /// <summary>
    /// PBKDF2 with HMAC-<paramref name="hash"/> into <paramref name="output"/>; <paramref name="iterations"/> must pass
    /// <see cref="CheckPbkdf2"/>.
    /// </summary>
    public static void Pbkdf2(ReadOnlySpan<byte> password, ReadOnlySpan<byte> salt, int iterations, HashAlgorithmName hash,
        Span<byte> output, CancellationToken cancellationToken)
    {
        if (CheckPbkdf2(iterations) is { } problem) throw new ArgumentException(problem);
        cancellationToken.ThrowIfCancellationRequested();
        using var hmac = IncrementalHash.CreateHMAC(hash, password);
        var hashLength = hmac.HashLengthInBytes;
        var u = GC.AllocateArray<byte>(hashLength, pinned: true);
        var t = GC.AllocateArray<byte>(hashLength, pinned: true);
        Span<byte> blockIndex = stackalloc byte[4];
        try
        {
            for (var block = 1; (block - 1) * hashLength < output.Length; block++)
            {
                BinaryPrimitives.WriteInt32BigEndian(blockIndex, block);
                hmac.AppendData(salt);
                hmac.AppendData(blockIndex);
                hmac.GetHashAndReset(u);
                u.CopyTo(t, 0);
                for (var i = 1; i < iterations; i++)
                {
                    if (i % Pbkdf2PollInterval == 0) cancellationToken.ThrowIfCancellationRequested();
                    hmac.AppendData(u);
                    hmac.GetHashAndReset(u);
                    for (var k = 0; k < hashLength; k++) t[k] ^= u[k];
                }
                var offset = (block - 1) * hashLength;
                t.AsSpan(0, Math.Min(hashLength, output.Length - offset)).CopyTo(output[offset..]);
            }
        }
        finally
        {
            CryptographicOperations.ZeroMemory(u);
            CryptographicOperations.ZeroMemory(t);
        }
    }

    // RFC 7914 §5: ROMix over one 128·r-byte lane, in place.
    // `written` is the count of V's words written so far (V is filled from its start, so it only grows).
    private static void RoMix(Span<byte> lane, int r, int n, uint[] x, uint[] y, uint[] v, ref int written, CancellationToken cancellationToken)
    {
        var words = 32 * r;
        for (var i = 0; i < words; i++) x[i] = BinaryPrimitives.ReadUInt32LittleEndian(lane[(4 * i)..]);
        for (var i = 0; i < n; i++)
        {
            if (i % ScryptPollInterval == 0) cancellationToken.ThrowIfCancellationRequested();
            if (written < (i + 1) * words) written = (i + 1) * words;
            x.CopyTo(v, i * words);
            BlockMix(x, y, r);
            (x, y) = (y, x);
        }
        var mask = n - 1;
        for (var i = 0; i < n; i++)
        {
            if (i % ScryptPollInterval == 0) cancellationToken.ThrowIfCancellationRequested();
            // Integerify: the first word of the last 64-byte block, reduced mod n (n is a power of two).
            var j = (int)(x[words - 16] & (uint)mask);
            var vj = v.AsSpan(j * words, words);
            for (var k = 0; k < words; k++) x[k] ^= vj[k];
            BlockMix(x, y, r);
            (x, y) = (y, x);
        }
        for (var i = 0; i < words; i++) BinaryPrimitives.WriteUInt32LittleEndian(lane[(4 * i)..], x[i]);
        // After an even number of swaps (2n) x and y are the caller's arrays again; both are zeroed by the caller.
    }

    // RFC 7914 §4: BlockMix with Salsa20/8, output blocks reordered even-then-odd.
    private static void BlockMix(uint[] input, uint[] output, int r)
    {
        Span<uint> t = stackalloc uint[16];
        input.AsSpan((2 * r - 1) * 16, 16).CopyTo(t);
        for (var i = 0; i < 2 * r; i++)
        {
            var block = input.AsSpan(i * 16, 16);
            for (var k = 0; k < 16; k++) t[k] ^= block[k];
            Salsa208(t);
            t.CopyTo(output.AsSpan(((i >> 1) + (i & 1) * r) * 16, 16));
        }
        t.Clear();
    }

    // RFC 7914 §3: the Salsa20/8 core.
    private static void Salsa208(Span<uint> b)
    {
        uint x0 = b[0], x1 = b[1], x2 = b[2], x3 = b[3], x4 = b[4], x5 = b[5], x6 = b[6], x7 = b[7];
        uint x8 = b[8], x9 = b[9], x10 = b[10], x11 = b[11], x12 = b[12], x13 = b[13], x14 = b[14], x15 = b[15];
        for (var i = 0; i < 8; i += 2)
        {
            x4 ^= BitOperations.RotateLeft(x0 + x12, 7); x8 ^= BitOperations.RotateLeft(x4 + x0, 9);
            x12 ^= BitOperations.RotateLeft(x8 + x4, 13); x0 ^= BitOperations.RotateLeft(x12 + x8, 18);
            x9 ^= BitOperations.RotateLeft(x5 + x1, 7); x13 ^= BitOperations.RotateLeft(x9 + x5, 9);
            x1 ^= BitOperations.RotateLeft(x13 + x9, 13); x5 ^= BitOperations.RotateLeft(x1 + x13, 18);
            x14 ^= BitOperations.RotateLeft(x10 + x6, 7); x2 ^= BitOperations.RotateLeft(x14 + x10, 9);
            x6 ^= BitOperations.RotateLeft(x2 + x14, 13); x10 ^= BitOperations.RotateLeft(x6 + x2, 18);
            x3 ^= BitOperations.RotateLeft(x15 + x11, 7); x7 ^= BitOperations.RotateLeft(x3 + x15, 9);
            x11 ^= BitOperations.RotateLeft(x7 + x3, 13); x15 ^= BitOperations.RotateLeft(x11 + x7, 18);
            x1 ^= BitOperations.RotateLeft(x0 + x3, 7); x2 ^= BitOperations.RotateLeft(x1 + x0, 9);
            x3 ^= BitOperations.RotateLeft(x2 + x1, 13); x0 ^= BitOperations.RotateLeft(x3 + x2, 18);
            x6 ^= BitOperations.RotateLeft(x5 + x4, 7); x7 ^= BitOperations.RotateLeft(x6 + x5, 9);
            x4 ^= BitOperations.RotateLeft(x7 + x6, 13); x5 ^= BitOperations.RotateLeft(x4 + x7, 18);
            x11 ^= BitOperations.RotateLeft(x10 + x9, 7); x8 ^= BitOperations.RotateLeft(x11 + x10, 9);
            x9 ^= BitOperations.RotateLeft(x8 + x11, 13); x10 ^= BitOperations.RotateLeft(x9 + x8, 18);
            x12 ^= BitOperations.RotateLeft(x15 + x14, 7); x13 ^= BitOperations.RotateLeft(x12 + x15, 9);
            x14 ^= BitOperations.RotateLeft(x13 + x12, 13); x15 ^= BitOperations.RotateLeft(x14 + x13, 18);
        }
        b[0] += x0; b[1] += x1; b[2] += x2; b[3] += x3; b[4] += x4; b[5] += x5; b[6] += x6; b[7] += x7;
        b[8] += x8; b[9] += x9; b[10] += x10; b[11] += x11; b[12] += x12; b[13] += x13; b[14] += x14; b[15] += x15;
    }
}
