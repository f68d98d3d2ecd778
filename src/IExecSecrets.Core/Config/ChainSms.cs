using System.Collections.ObjectModel;

namespace IExecSecrets.Core.Config;

/// <summary>
/// A chain's SMS setting as <c>chain.json</c> allows it: either one URL for every TEE framework, or a map from
/// framework to URL in which a framework may be missing.
/// </summary>
public sealed class ChainSms
{
    private ChainSms(string? singleUrl, IReadOnlyDictionary<TeeFramework, string>? byFramework)
    {
        SingleUrl = singleUrl;
        ByFramework = byFramework;
    }

    /// <summary>The URL used for every framework, when the setting is a string; otherwise null.</summary>
    public string? SingleUrl { get; }

    /// <summary>The per-framework URLs, when the setting is a map; otherwise null.</summary>
    public IReadOnlyDictionary<TeeFramework, string>? ByFramework { get; }

    /// <summary>A setting that sends every framework to <paramref name="url"/>.</summary>
    public static ChainSms Single(string url) => new(url, null);

    /// <summary>A per-framework setting; frameworks absent from <paramref name="urls"/> have no SMS.</summary>
    public static ChainSms Map(IEnumerable<KeyValuePair<TeeFramework, string>> urls) =>
        new(null, new ReadOnlyDictionary<TeeFramework, string>(urls.ToDictionary(pair => pair.Key, pair => pair.Value)));

    /// <summary>The SMS URL for <paramref name="framework"/>, or null when this setting has none for it.</summary>
    public string? UrlFor(TeeFramework framework) =>
        SingleUrl ?? (ByFramework is not null && ByFramework.TryGetValue(framework, out var url) ? url : null);

    /// <summary>Every framework that has a URL, with that URL, in <see cref="TeeFramework"/> order.</summary>
    public IReadOnlyDictionary<TeeFramework, string> Expand() =>
        Enum.GetValues<TeeFramework>()
            .Select(framework => (framework, url: UrlFor(framework)))
            .Where(entry => entry.url is not null)
            .ToDictionary(entry => entry.framework, entry => entry.url!);
}
