using System.Security.Cryptography;
using System.Text;
using IExecSecrets.Core.Sms;
using Microsoft.Data.Sqlite;

namespace IExecSecrets.DevNet.Sms;

/// <summary>
/// The dev SMS's secret table in SQLite. Values are encrypted at rest with AES-256-GCM under a random per-database key
/// kept in a separate file (<c>&lt;db&gt;.key</c>, mode 0600 on Unix), the row identity being the associated data so a
/// ciphertext cannot be moved to another row. Operations are serialised: a dev server favours simplicity over throughput.
/// </summary>
internal sealed class DevSmsStore : IDisposable
{
    private const int KeyBytes = 32;
    private const int NonceBytes = 12;
    private const int TagBytes = 16;
    private const int SqliteConstraint = 19;

    private readonly SqliteConnection _connection;
    private readonly byte[] _key;
    private readonly SemaphoreSlim _gate = new(1, 1);

    public DevSmsStore(string databasePath)
    {
        var fullPath = Path.GetFullPath(databasePath);
        Directory.CreateDirectory(Path.GetDirectoryName(fullPath)!);
        _key = LoadOrCreateKey(fullPath + ".key");

        _connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = fullPath, Pooling = false }.ToString());
        _connection.Open();
        using var create = _connection.CreateCommand();
        // WAL with synchronous=NORMAL syncs at checkpoints rather than at every commit: a devnet may lose its last
        // writes on power loss, never its consistency, and a batch of pushes stops waiting on fsync per secret.
        create.CommandText = """
            PRAGMA journal_mode = WAL;
            PRAGMA synchronous = NORMAL;
            CREATE TABLE IF NOT EXISTS secrets (
                kind TEXT NOT NULL,
                owner TEXT NOT NULL,
                name TEXT NOT NULL,
                nonce BLOB NOT NULL,
                ciphertext BLOB NOT NULL,
                tag BLOB NOT NULL,
                PRIMARY KEY (kind, owner, name));
            """;
        create.ExecuteNonQuery();
    }

    /// <summary>Stores a new secret; false when one with that identity already exists (the insert is atomic).</summary>
    public Task<bool> TryAddAsync(SmsSecretKind kind, string owner, string name, ReadOnlyMemory<byte> value, CancellationToken ct) =>
        RunAsync(
            "INSERT INTO secrets (kind, owner, name, nonce, ciphertext, tag) VALUES ($kind, $owner, $name, $nonce, $ciphertext, $tag)",
            command => AddSecret(command, kind, owner, name, value.Span),
            async insert =>
            {
                try
                {
                    await insert.ExecuteNonQueryAsync(CancellationToken.None).ConfigureAwait(false);
                    return true;
                }
                catch (SqliteException e) when (e.SqliteErrorCode == SqliteConstraint)
                {
                    return false;
                }
            },
            ct);

    /// <summary>Replaces the value of an existing secret; false when there is none.</summary>
    public Task<bool> TryUpdateAsync(SmsSecretKind kind, string owner, string name, ReadOnlyMemory<byte> value, CancellationToken ct) =>
        RunAsync(
            "UPDATE secrets SET nonce = $nonce, ciphertext = $ciphertext, tag = $tag WHERE kind = $kind AND owner = $owner AND name = $name",
            command => AddSecret(command, kind, owner, name, value.Span),
            async update => await update.ExecuteNonQueryAsync(CancellationToken.None).ConfigureAwait(false) > 0,
            ct);

    /// <summary>True when the secret is stored.</summary>
    public Task<bool> ExistsAsync(SmsSecretKind kind, string owner, string name, CancellationToken ct) =>
        RunAsync(
            "SELECT 1 FROM secrets WHERE kind = $kind AND owner = $owner AND name = $name",
            select => AddIdentity(select, kind, owner, name),
            async select => await select.ExecuteScalarAsync(CancellationToken.None).ConfigureAwait(false) is not null,
            ct);

    /// <summary>The decrypted value, or null when the secret is not stored. The caller owns (and should zero) the array.</summary>
    public Task<byte[]?> GetAsync(SmsSecretKind kind, string owner, string name, CancellationToken ct) =>
        RunAsync(
            "SELECT nonce, ciphertext, tag FROM secrets WHERE kind = $kind AND owner = $owner AND name = $name",
            select => AddIdentity(select, kind, owner, name),
            async select =>
            {
                using var reader = await select.ExecuteReaderAsync(CancellationToken.None).ConfigureAwait(false);
                if (!await reader.ReadAsync(CancellationToken.None).ConfigureAwait(false)) return null;
                var nonce = (byte[])reader["nonce"];
                var ciphertext = (byte[])reader["ciphertext"];
                var tag = (byte[])reader["tag"];
                var plaintext = new byte[ciphertext.Length];
                using var aes = new AesGcm(_key, TagBytes);
                aes.Decrypt(nonce, ciphertext, tag, plaintext, AssociatedData(kind, owner, name));
                return (byte[]?)plaintext;
            },
            ct);

    /// <summary>How many secrets of <paramref name="kind"/> are stored.</summary>
    public Task<int> CountAsync(SmsSecretKind kind, CancellationToken ct) =>
        RunAsync(
            "SELECT COUNT(*) FROM secrets WHERE kind = $kind",
            count => count.Parameters.AddWithValue("$kind", kind.ToString()),
            async count => Convert.ToInt32(await count.ExecuteScalarAsync(CancellationToken.None).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture),
            ct);

    public void Dispose()
    {
        _connection.Dispose();
        CryptographicOperations.ZeroMemory(_key);
        _gate.Dispose();
    }

    // A whole secret row: its identity and its encrypted value (INSERT and UPDATE).
    private void AddSecret(SqliteCommand command, SmsSecretKind kind, string owner, string name, ReadOnlySpan<byte> value)
    {
        AddIdentity(command, kind, owner, name);
        AddCiphertext(command, kind, owner, name, value);
    }

    private static void AddIdentity(SqliteCommand command, SmsSecretKind kind, string owner, string name)
    {
        command.Parameters.AddWithValue("$kind", kind.ToString());
        command.Parameters.AddWithValue("$owner", owner);
        command.Parameters.AddWithValue("$name", name);
    }

    private void AddCiphertext(SqliteCommand command, SmsSecretKind kind, string owner, string name, ReadOnlySpan<byte> value)
    {
        var nonce = RandomNumberGenerator.GetBytes(NonceBytes);
        var ciphertext = new byte[value.Length];
        var tag = new byte[TagBytes];
        using (var aes = new AesGcm(_key, TagBytes))
        {
            aes.Encrypt(nonce, value, ciphertext, tag, AssociatedData(kind, owner, name));
        }
        command.Parameters.AddWithValue("$nonce", nonce);
        command.Parameters.AddWithValue("$ciphertext", ciphertext);
        command.Parameters.AddWithValue("$tag", tag);
    }

    private static byte[] AssociatedData(SmsSecretKind kind, string owner, string name) =>
        Encoding.UTF8.GetBytes($"{kind}\n{owner}\n{name}");

    private static byte[] LoadOrCreateKey(string keyPath)
    {
        if (File.Exists(keyPath))
        {
            var existing = File.ReadAllBytes(keyPath);
            if (existing.Length != KeyBytes) throw new InvalidDataException($"The dev SMS key file {keyPath} is not a {KeyBytes}-byte key.");
            return existing;
        }

        var key = RandomNumberGenerator.GetBytes(KeyBytes);
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        using var stream = new FileStream(keyPath, options);
        stream.Write(key);
        return key;
    }

    // One command at a time on the one connection (a SQLite connection is not thread-safe). Only the wait for the gate
    // is cancellable: a command once started runs to completion, so no write is left half done.
    private async Task<T> RunAsync<T>(string sql, Action<SqliteCommand> bind, Func<SqliteCommand, Task<T>> run, CancellationToken ct)
    {
        await _gate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            using var command = _connection.CreateCommand();
            command.CommandText = sql;
            bind(command);
            return await run(command).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }
}
