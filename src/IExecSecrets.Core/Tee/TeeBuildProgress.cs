namespace IExecSecrets.Core.Tee;

/// <summary>
/// One progress event of a TEE image build, raised from the Docker build and push streams: the stage, a line of
/// status (a Dockerfile step, a layer being pushed) and, when the stream tells it, a percentage.
/// </summary>
/// <param name="Stage">The step running.</param>
/// <param name="Status">What is happening, one line, never a secret (build args are not echoed).</param>
/// <param name="PercentComplete">0-100 within <paramref name="Stage"/> when known, else null.</param>
public sealed record TeeBuildProgress(TeeBuildStage Stage, string Status, int? PercentComplete = null);
