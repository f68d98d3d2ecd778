using IExecSecrets.Core.Sms;

namespace IExecSecrets.Core.Execution;

/// <summary>
/// The values of one run's pushes, read and checked by <see cref="AppRunSession.ReadSecrets"/>; disposing it zeroes
/// every value not yet pushed (pushed ones are zeroed as their push ends).
/// </summary>
public sealed class SecretBatch : IDisposable
{
    private readonly List<(SecretToPush Secret, SecretBuffer Value)> _items = new();

    internal IReadOnlyList<(SecretToPush Secret, SecretBuffer Value)> Items => _items;

    /// <summary>How many values were read.</summary>
    public int Count => _items.Count;

    internal void Add(SecretToPush secret, SecretBuffer value) => _items.Add((secret, value));

    /// <summary>Zeroes every value.</summary>
    public void Dispose()
    {
        foreach (var (_, value) in _items) value.Dispose();
    }
}
