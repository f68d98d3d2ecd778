using System.Management.Automation.Host;

namespace IExecSecrets;

/// <summary>
/// Whether the host can ask the user something. pwsh's console host still has a UI under <c>-NonInteractive</c>
/// (its reads throw only after the prompt text is printed) and with redirected stdin (its reads then consume the
/// piped script input and the run ends silently), so both are detected up front and treated as "cannot prompt".
/// Other hosts (ISE-like editors, test hosts, remoting) decide for themselves when asked.
/// </summary>
internal static class HostPrompting
{
    /// <summary>True unless <paramref name="host"/> is pwsh's console host started non-interactive or fed by a pipe.</summary>
    public static bool CanPrompt(PSHost host)
    {
        if (!string.Equals(host.Name, "ConsoleHost", StringComparison.Ordinal))
        {
            return true;
        }

        return !Console.IsInputRedirected && !StartedNonInteractive(Environment.GetCommandLineArgs());
    }

    /// <summary>
    /// True when pwsh's own arguments (before -Command/-File, after which they belong to the script) include
    /// -NonInteractive or an abbreviation pwsh accepts (-noni, -nonint…), with - , -- or / as prefix.
    /// </summary>
    public static bool StartedNonInteractive(IReadOnlyList<string> arguments)
    {
        // arguments[0] is the program; the script text or file follows -c/-Command/-f/-File/-ec.
        for (var i = 1; i < arguments.Count; i++)
        {
            var argument = arguments[i].TrimStart('-', '/').ToLowerInvariant();
            if (argument.Length == 0)
            {
                continue;
            }

            if (argument is "c" or "command" or "f" or "file" or "ec" or "e" or "encodedcommand" || "command".StartsWith(argument, StringComparison.Ordinal) || "file".StartsWith(argument, StringComparison.Ordinal))
            {
                return false;
            }

            if (argument.Length >= 4 && "noninteractive".StartsWith(argument, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }
}
