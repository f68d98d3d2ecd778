namespace IExecSecrets.Core.Tee;

/// <summary>
/// What sconify needs per language: the interpreter it turns into an enclave (<c>--binary</c>) and the exact command
/// the enclave runs, recorded as <c>app.mrenclave.entrypoint</c> (it must match the image's ENTRYPOINT).
/// </summary>
/// <param name="Binary">Absolute path of the interpreter in the image, e.g. <c>/usr/local/bin/node</c>.</param>
/// <param name="Entrypoint">The command line the enclave runs, e.g. <c>python3 /app/app.py</c>.</param>
public sealed record SconifyLanguageSettings(string Binary, string Entrypoint);
