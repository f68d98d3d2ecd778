using IExecSecrets.Core.Errors;

namespace IExecSecrets.Core.Tee;

/// <summary>Maps <see cref="EnclaveLanguage"/> to its <c>sconify.json</c> key and detects it from an app folder.</summary>
public static class EnclaveLanguages
{
    /// <summary>The key of <paramref name="language"/> under <c>languages</c> in <c>sconify.json</c>.</summary>
    public static string SettingsKey(EnclaveLanguage language) => language switch
    {
        EnclaveLanguage.JavaScript => "js",
        EnclaveLanguage.Python => "python",
        _ => throw new ArgumentOutOfRangeException(nameof(language)),
    };

    /// <summary>The app file a local run executes: <c>app.js</c> or <c>app.py</c>.</summary>
    public static string AppFileName(EnclaveLanguage language) => language == EnclaveLanguage.Python ? "app.py" : "app.js";

    /// <summary>
    /// The language of an app script file from its extension: <c>.js</c>, <c>.mjs</c>, <c>.cjs</c> mean JavaScript,
    /// <c>.py</c> Python; any other fails with <see cref="ErrorIds.EnclaveLanguageUnknown"/>, asking for -Language.
    /// </summary>
    public static EnclaveLanguage FromFile(string file)
    {
        switch (Path.GetExtension(file).ToLowerInvariant())
        {
            case ".js" or ".mjs" or ".cjs": return EnclaveLanguage.JavaScript;
            case ".py": return EnclaveLanguage.Python;
            default:
                throw new IExecException(
                    ErrorIds.EnclaveLanguageUnknown,
                    $"Cannot tell whether \"{file}\" is a JavaScript or a Python enclave app (expected .js, .mjs, .cjs or .py).",
                    file)
                { RecommendedAction = "Pass -Language JavaScript or -Language Python." };
        }
    }

    /// <summary>
    /// Detects the language of <paramref name="folder"/>: <c>app.js</c> or <c>package.json</c> means JavaScript,
    /// <c>app.py</c> or <c>requirements.txt</c> means Python. Anything else (or both) fails with
    /// <see cref="ErrorIds.EnclaveLanguageUnknown"/>, asking for an explicit language.
    /// </summary>
    public static EnclaveLanguage Detect(string folder)
    {
        var isJs = File.Exists(Path.Combine(folder, "app.js")) || File.Exists(Path.Combine(folder, "package.json"));
        var isPython = File.Exists(Path.Combine(folder, "app.py")) || File.Exists(Path.Combine(folder, "requirements.txt"));
        if (isJs != isPython) return isJs ? EnclaveLanguage.JavaScript : EnclaveLanguage.Python;
        throw new IExecException(
            ErrorIds.EnclaveLanguageUnknown,
            $"Cannot tell whether \"{folder}\" holds a JavaScript or a Python enclave app (looked for app.js, package.json, app.py, requirements.txt).",
            folder)
        { RecommendedAction = "Pass -Language JavaScript or -Language Python." };
    }
}
