using System.Collections;
using IExecSecrets.Core.Config;

namespace IExecSecrets.Completers;

/// <summary>Completes <c>-TeeFramework</c> with the frameworks iExec's SMS serves: scone, gramine and tdx.</summary>
public sealed class TeeFrameworkCompleter : NameCompleter
{
    /// <inheritdoc/>
    /// <remarks>Lower case, as in chain.json and the iexec CLI.</remarks>
    protected override IEnumerable<string> Names(IDictionary fakeBoundParameters) => TeeFrameworks.Names;
}
