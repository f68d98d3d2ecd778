namespace IExecSecrets.Core.Tee;

/// <summary>What a finished container left: its exit code and everything it wrote to stdout and stderr.</summary>
/// <param name="ExitCode">The container's exit status.</param>
/// <param name="StandardOutput">Its stdout.</param>
/// <param name="StandardError">Its stderr.</param>
public sealed record ContainerRunResult(long ExitCode, string StandardOutput, string StandardError);
