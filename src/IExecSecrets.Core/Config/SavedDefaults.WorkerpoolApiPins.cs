using System.Text.Json;
using System.Text.Json.Nodes;
using IExecSecrets.Core.Errors;
using IExecSecrets.Core.Platform;

namespace IExecSecrets.Core.Config;

// The workerpool API pins: a URL saved per workerpool address (Set-IExecConfiguration -WorkerpoolApiUrl) that wins over
// what Compass says, kept beside the other defaults, in the same scopes and the same file.
public sealed partial class SavedDefaults
{
    /// <summary>
    /// The API URL pinned for <paramref name="workerpool"/> (Process first, then CurrentUser) and its scope, or nulls.
    /// A pinned URL wins over iExec Compass for the task-log login (Get-IExecTaskLog).
    /// </summary>
    public (Uri? Url, DefaultsScope? Scope) GetWorkerpoolApiPin(EthAddress workerpool)
    {
        lock (_lock)
        {
            if (_processPins.TryGetValue(workerpool, out var url)) return (new Uri(url), DefaultsScope.Process);
            RefreshUser();
            return _userPins.TryGetValue(workerpool, out url) ? (new Uri(url), DefaultsScope.CurrentUser) : (null, null);
        }
    }

    /// <summary>The workerpool API URLs pinned in <paramref name="scope"/>.</summary>
    public IReadOnlyDictionary<EthAddress, string> ReadWorkerpoolApiPins(DefaultsScope scope)
    {
        lock (_lock)
        {
            if (scope == DefaultsScope.Process) return new Dictionary<EthAddress, string>(_processPins);
            RefreshUser();
            return new Dictionary<EthAddress, string>(_userPins);
        }
    }

    /// <summary>Pins workerpool API URLs in <paramref name="scope"/>; each pair is checked first and nothing is saved when one is bad.</summary>
    public void SetWorkerpoolApiPins(DefaultsScope scope, IReadOnlyDictionary<string, string> pins)
    {
        ArgumentNullException.ThrowIfNull(pins);
        var checkedPins = pins.Select(pair => ValidateWorkerpoolApiPin(pair.Key, pair.Value)).ToArray();
        lock (_lock)
        {
            if (scope == DefaultsScope.Process)
            {
                foreach (var (pool, url) in checkedPins) _processPins[pool] = url;
                return;
            }

            RefreshUser();
            var next = new Dictionary<EthAddress, string>(_userPins);
            foreach (var (pool, url) in checkedPins) next[pool] = url;
            WriteUser(new Dictionary<string, string>(_user, StringComparer.OrdinalIgnoreCase), next);
        }
    }

    /// <summary>Forgets the pins of <paramref name="workerpools"/> (all when null) in <paramref name="scope"/>; returns those that were set.</summary>
    public IReadOnlyList<EthAddress> ClearWorkerpoolApiPins(DefaultsScope scope, IEnumerable<EthAddress>? workerpools = null)
    {
        lock (_lock)
        {
            if (scope == DefaultsScope.Process)
            {
                return (workerpools ?? _processPins.Keys.ToArray()).Where(_processPins.Remove).ToArray();
            }

            RefreshUser();
            var next = new Dictionary<EthAddress, string>(_userPins);
            var removed = (workerpools ?? next.Keys.ToArray()).Where(next.Remove).ToArray();
            if (removed.Length > 0) WriteUser(new Dictionary<string, string>(_user, StringComparer.OrdinalIgnoreCase), next);
            return removed;
        }
    }

    /// <summary>
    /// Checks a pin: the workerpool must be an address (an ENS name would need a chain to resolve it, and the task-log
    /// lookup uses the deal's address), the URL an absolute https URL, or http to a loopback host (the login is never
    /// signed for anything else), without user info, query or fragment. Returns the address and the URL as saved.
    /// </summary>
    public static (EthAddress Workerpool, string Url) ValidateWorkerpoolApiPin(string? workerpool, string? url)
    {
        if (!EthAddress.TryParse(workerpool?.Trim(), out var address))
        {
            throw new IExecException(ErrorIds.InvalidConfigurationValue,
                $"'{workerpool}' is not a workerpool address; an API URL is pinned for an address (0x followed by 40 hex digits).", "WorkerpoolApiUrl");
        }

        if (!Uri.TryCreate(url?.Trim(), UriKind.Absolute, out var uri)
            || !(uri.Scheme == Uri.UriSchemeHttps || (uri.Scheme == Uri.UriSchemeHttp && uri.IsLoopback))
            || uri.UserInfo.Length > 0 || uri.Query.Length > 0 || uri.Fragment.Length > 0)
        {
            throw new IExecException(ErrorIds.InvalidConfigurationValue,
                $"The API URL pinned for workerpool {address} must be an https URL (or http to this machine) without user info, query or fragment.", "WorkerpoolApiUrl");
        }

        return (address, uri.GetLeftPart(UriPartial.Path).TrimEnd('/'));
    }
}
