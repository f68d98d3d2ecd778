namespace IExecSecrets.Core.Tee;

/// <summary>
/// The <c>sconify_iexec</c> command line, in the order iExec's documentation and the iapp tool use:
/// <c>[--scone-signer] --from --to --binary-fs --fs-dir --host-path… --binary --heap --dlopen --no-color --verbose</c>.
/// </summary>
public static class SconifyArguments
{
    /// <summary>Where the signer key is mounted (read-only) inside the sconify container.</summary>
    public const string SignerKeyMountPath = "/sig/enclave-key.pem";

    /// <summary>Where the Docker socket is mounted inside the sconify container.</summary>
    public const string DockerSocketMountPath = "/var/run/docker.sock";

    /// <summary>
    /// The full command (starting with <c>sconify_iexec</c>) for turning <paramref name="from"/> into
    /// <paramref name="to"/>; <paramref name="withSigner"/> adds <c>--scone-signer</c> pointing at the mounted key.
    /// </summary>
    public static IReadOnlyList<string> Build(string from, string to, SconifySettings settings, SconifyLanguageSettings language, bool withSigner)
    {
        var args = new List<string> { "sconify_iexec" };
        if (withSigner) args.Add($"--scone-signer={SignerKeyMountPath}");
        args.Add($"--from={from}");
        args.Add($"--to={to}");
        args.Add("--binary-fs");
        args.Add($"--fs-dir={settings.FsDir}");
        args.AddRange(settings.HostPaths.Select(p => $"--host-path={p}"));
        args.Add($"--binary={language.Binary}");
        args.Add($"--heap={settings.Heap}");
        args.Add($"--dlopen={settings.Dlopen}");
        args.Add("--no-color");
        args.Add("--verbose");
        return args;
    }
}
