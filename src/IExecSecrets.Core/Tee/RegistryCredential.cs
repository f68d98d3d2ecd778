using System.Security.Cryptography;

namespace IExecSecrets.Core.Tee;

/// <summary>
/// A registry login for <c>docker push</c>. The password is held as UTF-8 bytes the owner zeroes with
/// <see cref="Dispose"/>; it becomes a managed string only inside the push call, because the Docker API takes its
/// auth header as text. It is never logged or put in a message.
/// </summary>
public sealed class RegistryCredential : IDisposable
{
    private readonly byte[] _password;

    /// <summary>Creates a login; <paramref name="passwordUtf8"/> is copied, so the caller may zero its own buffer.</summary>
    public RegistryCredential(string userName, ReadOnlySpan<byte> passwordUtf8)
    {
        UserName = userName;
        _password = passwordUtf8.ToArray();
    }

    /// <summary>The registry user name (not a secret).</summary>
    public string UserName { get; }

    /// <summary>The password bytes; valid until <see cref="Dispose"/>.</summary>
    internal ReadOnlySpan<byte> Password => _password;

    /// <summary>Zeroes the password.</summary>
    public void Dispose() => CryptographicOperations.ZeroMemory(_password);
}
