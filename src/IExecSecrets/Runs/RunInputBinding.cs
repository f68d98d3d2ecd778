using System.Collections;
using System.Globalization;
using System.Security;
using IExecSecrets.Core.Errors;
using IExecSecrets.Core.Execution;

namespace IExecSecrets;

/// <summary>
/// Turns what PowerShell bound to <c>Invoke-IExecApp -Secret</c> and <c>-SecretValue</c> (hashtables, item arrays,
/// values wrapped in PSObject) into Core's run input, with Core's checks of slots and names. Values are not read here:
/// a one-shot value stays the caller's handle until Core asks for it just before signing.
/// </summary>
internal static class RunInputBinding
{
    /// <summary>The run input of <paramref name="command"/>'s bound parameters; deployed.json is read in <paramref name="directory"/>.</summary>
    public static AppRunInput Input(Commands.InvokeIExecAppCommand command, string directory) => new()
    {
        App = command.App,
        ProjectDirectory = directory,
        Workerpool = command.Workerpool,
        Dataset = command.Dataset,
        Beneficiary = command.Beneficiary,
        Callback = command.Callback,
        Tag = command.Tag is null || command.Tag.Length == 0 ? null : RunCommandSupport.ParseTag(command.Tag),
        Category = command.Category,
        Trust = command.Trust,
        AppMaxPrice = command.AppMaxPrice,
        DatasetMaxPrice = command.DatasetMaxPrice,
        WorkerpoolMaxPrice = command.WorkerpoolMaxPrice,
        SkipPreflight = command.SkipPreflightCheck.IsPresent,
        Secrets = Secrets(command.Secret),
        OneShots = OneShots(command.SecretValue, command.Vault is not null),
        PushMissingSecrets = command.Vault is not null,
        RawParams = command.Params,
        Args = command.Arguments,
        InputFiles = command.InputFile,
        StorageProvider = command.StorageProvider,
        EncryptResult = command.EncryptResult.IsPresent,
    };

    /// <summary>The -Secret mapping: a hashtable @{1='name'} or items '1=name'; InvalidSecretMapping for anything else.</summary>
    public static IReadOnlyList<KeyValuePair<int, string>> Secrets(object? secret)
    {
        var value = secret is PSObject wrapped ? wrapped.BaseObject : secret;
        switch (value)
        {
            case null:
                return [];
            case IDictionary dictionary:
                var pairs = new List<KeyValuePair<string, string?>>();
                foreach (DictionaryEntry entry in dictionary)
                {
                    var key = Unwrap(entry.Key);
                    var name = Unwrap(entry.Value);
                    pairs.Add(new(Convert.ToString(key, CultureInfo.InvariantCulture) ?? "", name as string ?? (name is null ? null : Convert.ToString(name, CultureInfo.InvariantCulture))));
                }
                return SecretMapping.Parse(pairs);
            case string item:
                return SecretMapping.ParseItems([item]);
            case IEnumerable items:
                return SecretMapping.ParseItems(items.Cast<object?>().Select(i => Convert.ToString(Unwrap(i), CultureInfo.InvariantCulture) ?? ""));
            default:
                throw new IExecException(ErrorIds.InvalidSecretMapping,
                    "-Secret must be a hashtable @{1='name'} or items '1=name'.", "Secret");
        }
    }

    /// <summary>
    /// The -SecretValue slots and their values: a non-empty SecureString, or with a vault the name of a vault secret.
    /// EmptySecretValue and InvalidSecretValue before anything is sent; the value itself is read later.
    /// </summary>
    public static IReadOnlyList<OneShotInput> OneShots(Hashtable? secretValue, bool hasVault)
    {
        if (secretValue is null || secretValue.Count == 0) return [];
        var pairs = new List<KeyValuePair<string, string?>>();
        var values = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in secretValue)
        {
            var key = Convert.ToString(Unwrap(entry.Key), CultureInfo.InvariantCulture) ?? "";
            // A placeholder name lets SecretMapping check the slot exactly as it checks -Secret's.
            pairs.Add(new(key, "oneshot"));
            values[key] = Unwrap(entry.Value);
        }
        var list = new List<OneShotInput>();
        foreach (var (slot, _) in SecretMapping.Parse(pairs))
        {
            var value = values[slot.ToString(CultureInfo.InvariantCulture)];
            var target = $"slot {slot}";
            switch (value)
            {
                case SecureString secure when secure.Length == 0:
                    throw new IExecException(ErrorIds.EmptySecretValue, $"The -SecretValue of slot {slot} is empty.", target);
                case SecureString:
                case string vaultName when hasVault && !string.IsNullOrWhiteSpace(vaultName):
                    list.Add(new OneShotInput(slot, value));
                    break;
                case string:
                    throw new IExecException(ErrorIds.InvalidSecretValue,
                        $"The -SecretValue of slot {slot} is a plain string: give a SecureString (Read-Host -AsSecureString, Get-Secret), or with -Vault the name of a vault secret.", target);
                default:
                    throw new IExecException(ErrorIds.InvalidSecretValue,
                        $"The -SecretValue of slot {slot} is a {value?.GetType().Name ?? "null"}: give a SecureString, or with -Vault the name of a vault secret.", target);
            }
        }
        return list;
    }

    private static object? Unwrap(object? value) => value is PSObject wrapped ? wrapped.BaseObject : value;
}
