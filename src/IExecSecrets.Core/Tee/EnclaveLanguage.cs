namespace IExecSecrets.Core.Tee;

/// <summary>
/// The language of an enclave app folder. It picks the interpreter sconify protects (<c>--binary</c>) and the
/// entrypoint recorded in <c>app.mrenclave</c>, both read from the <c>languages</c> section of <c>sconify.json</c>
/// (keys <c>js</c> and <c>python</c>).
/// </summary>
public enum EnclaveLanguage
{
    /// <summary>Node.js: <c>app.js</c> run by <c>/usr/local/bin/node</c>.</summary>
    JavaScript,

    /// <summary>Python 3: <c>app.py</c> run by <c>/usr/local/bin/python3</c>.</summary>
    Python,
}
