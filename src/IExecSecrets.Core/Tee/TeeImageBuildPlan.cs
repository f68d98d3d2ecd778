namespace IExecSecrets.Core.Tee;

/// <summary>
/// A validated build, resolved before anything touches the engine: what <c>-WhatIf</c> shows and what
/// <see cref="TeeImageBuilder.ExecuteAsync"/> runs.
/// </summary>
/// <param name="Request">The request it was made from.</param>
/// <param name="ContextPath">The full path of the app folder.</param>
/// <param name="Image">The plain image to build, e.g. <c>me/app:1.0.0-non-tee</c>; for TDX the request's tag.</param>
/// <param name="SconifiedImage">The enclave image sconify produces (the request's tag); for TDX the same as <paramref name="Image"/>.</param>
/// <param name="SconifyImage">The sconify image run; empty for TDX.</param>
/// <param name="Language">The app's language.</param>
/// <param name="Settings">The sconify settings used.</param>
/// <param name="LanguageSettings">The binary and entrypoint of <paramref name="Language"/>.</param>
/// <param name="SconifyCommand">The <c>sconify_iexec</c> command line, in the documented order; empty for TDX.</param>
/// <param name="ProjectFile">The <c>iexec.json</c> to update, or null.</param>
public sealed record TeeImageBuildPlan(
    TeeImageBuildRequest Request,
    string ContextPath,
    string Image,
    string SconifiedImage,
    string SconifyImage,
    EnclaveLanguage Language,
    SconifySettings Settings,
    SconifyLanguageSettings LanguageSettings,
    IReadOnlyList<string> SconifyCommand,
    string? ProjectFile)
{
    /// <summary>One line per step, for <c>-WhatIf</c> and verbose output.</summary>
    public string Describe()
    {
        if (Request.TeeFramework == Config.TeeFramework.Tdx)
        {
            var tdx = new List<string> { $"docker build {ContextPath} -> {Image} (TDX: no sconify, no mrenclave)" };
            if (Request.Push) tdx.Add($"docker push {Image}");
            else tdx.Add("no push: the checksum is the registry digest Docker already knows for the image, or none");
            if (ProjectFile is not null) tdx.Add($"update app.multiaddr, app.checksum in {ProjectFile} and remove app.mrenclave");
            return string.Join("; ", tdx);
        }
        var steps = new List<string>
        {
            $"docker build {ContextPath} -> {Image}",
            $"docker run {SconifyImage} {string.Join(' ', SconifyCommand)}",
            $"docker run --rm -e SCONE_HASH=1 {SconifiedImage}",
        };
        if (Request.Push) steps.Add($"docker push {SconifiedImage}");
        if (ProjectFile is not null) steps.Add($"update app.multiaddr, app.checksum, app.mrenclave in {ProjectFile}");
        return string.Join("; ", steps);
    }
}
