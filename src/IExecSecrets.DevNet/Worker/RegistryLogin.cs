namespace IExecSecrets.DevNet.Worker;

/// <summary>
/// A registry login the devnet worker pulls app images with, as a real worker is configured with one. The password
/// stays in <paramref name="PasswordFile"/> and is read only for the pull (never on a command line, never logged).
/// </summary>
/// <param name="Registry">The registry host[:port] as image references name it, e.g. <c>127.0.0.1:5765</c>.</param>
/// <param name="UserName">The user name.</param>
/// <param name="PasswordFile">A file holding the password or token (trailing newline ignored).</param>
public sealed record RegistryLogin(string Registry, string UserName, string PasswordFile);
