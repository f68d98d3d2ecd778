using System.Collections;
using System.Globalization;
using System.Management.Automation;
using IExecSecrets.Completers;
using System.Security;
using System.Security.Cryptography;
using IExecSecrets.Core.Errors;
using IExecSecrets.Core.Tee;
using IExecSecrets.Output;
using IExecSecrets.SecretManagement;

namespace IExecSecrets.Commands;

/// <summary>
/// <para type="synopsis">Runs an enclave app locally (outside any enclave) with its secrets mapped to IEXEC_* variables, like iapp test.</para>
/// </summary>
[Cmdlet(VerbsLifecycle.Invoke, "IExecEnclaveApp", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low, DefaultParameterSetName = ProcessParameterSet)]
[OutputType(typeof(IExecEnclaveRun))]
public sealed class InvokeIExecEnclaveAppCommand : IExecCmdlet
{
    private const string ProcessParameterSet = "Process";
    private const string ImageParameterSet = "Image";

    /// <summary>The app folder holding app.js or app.py, run with the local node or python3.</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = ProcessParameterSet)]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = string.Empty;

    /// <summary>A built image (plain or sconified) to run instead of a local process.</summary>
    [Parameter(Mandatory = true, ParameterSetName = ImageParameterSet)]
    [ValidateNotNullOrEmpty]
    public string Image { get; set; } = string.Empty;

    /// <summary>The app's language; default detected from the folder.</summary>
    [Parameter(ParameterSetName = ProcessParameterSet)]
    public EnclaveLanguage Language { get; set; }

    /// <summary>Requester secrets: index to vault secret name, e.g. @{1='x1'} gives IEXEC_REQUESTER_SECRET_1.</summary>
    [Parameter]
    public Hashtable? Secret { get; set; }

    /// <summary>The SecretManagement vault the -Secret names and -AppSecretName are read from; default all registered vaults.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(VaultNameCompleter))]
    public string? Vault { get; set; }

    /// <summary>The app developer secret (IEXEC_APP_DEVELOPER_SECRET), e.g. "1;2;3;4".</summary>
    [Parameter]
    public SecureString? AppSecret { get; set; }

    /// <summary>The vault secret holding the app developer secret, instead of -AppSecret.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? AppSecretName { get; set; }

    /// <summary>The folder the app writes (IEXEC_OUT); created when missing, kept afterwards.</summary>
    [Parameter(Mandatory = true)]
    [ValidateNotNullOrEmpty]
    public string OutputPath { get; set; } = string.Empty;

    /// <summary>The input folder (IEXEC_IN); default an empty folder next to the output.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? InputPath { get; set; }

    /// <summary>IEXEC_TASK_ID; default the zero task id.</summary>
    [Parameter]
    [ValidatePattern("^0x[0-9a-fA-F]{64}$")]
    public string? TaskId { get; set; }

    /// <summary>The Docker engine address for -Image; default $env:DOCKER_HOST or unix:///var/run/docker.sock.</summary>
    [Parameter(ParameterSetName = ImageParameterSet)]
    [ValidateNotNullOrEmpty]
    public string? DockerHost { get; set; }

    /// <summary>Reads the secrets, runs the app and writes the run; a non-zero exit is also reported as an error.</summary>
    protected override void EndProcessing()
    {
        var buffers = new List<byte[]>();
        try
        {
            var requesterSecrets = new Dictionary<int, ReadOnlyMemory<byte>>();
            var indexes = ParseIndexes();
            if (indexes.Count > 0 || AppSecretName is not null)
            {
                var reader = new VaultSecretReader(InvokeCommand);
                foreach (var (index, name) in indexes)
                {
                    var bytes = reader.ReadBytes(name, Vault);
                    buffers.Add(bytes);
                    requesterSecrets[index] = bytes;
                }
            }
            byte[]? appSecret = null;
            if (AppSecret is not null) appSecret = SecureStrings.ToUtf8Bytes(AppSecret);
            else if (AppSecretName is not null) appSecret = new VaultSecretReader(InvokeCommand).ReadBytes(AppSecretName, Vault);
            if (appSecret is not null) buffers.Add(appSecret);

            var request = new EnclaveRunRequest
            {
                AppPath = ParameterSetName == ProcessParameterSet ? GetUnresolvedProviderPathFromPSPath(Path) : null,
                Image = ParameterSetName == ImageParameterSet ? Image : null,
                Language = MyInvocation.BoundParameters.ContainsKey(nameof(Language)) ? Language : null,
                AppSecret = appSecret,
                RequesterSecrets = requesterSecrets,
                OutputPath = GetUnresolvedProviderPathFromPSPath(OutputPath),
                InputPath = InputPath is null ? null : GetUnresolvedProviderPathFromPSPath(InputPath),
                TaskId = TaskId,
                DockerHost = DockerHost,
            };
            EnclaveLocalRunner.Validate(request);
            var target = request.Image ?? request.AppPath!;
            if (!ShouldProcess($"{target} writing to {request.OutputPath}", "Run enclave app locally"))
            {
                return;
            }

            var run = Await(EnclaveLocalRunner.RunAsync(request, CancellationToken));
            WriteObject(new IExecEnclaveRun
            {
                Succeeded = run.ExitCode == 0,
                ExitCode = run.ExitCode,
                OutputPath = run.OutputPath,
                ComputedJsonPath = run.ComputedJsonPath,
                ResultPath = run.DeterministicOutputPath,
                StandardOutput = run.StandardOutput,
                StandardError = run.StandardError,
            });
            if (run.ExitCode != 0)
            {
                WriteIExecError(new IExecException(ErrorIds.EnclaveAppFailed, IExecErrorCategory.InvalidOperation,
                    $"The enclave app exited with code {run.ExitCode}: {run.StandardError.Trim()}", target));
            }
        }
        catch (IExecException ex)
        {
            ThrowIExecError(ex);
        }
        finally
        {
            foreach (var buffer in buffers) CryptographicOperations.ZeroMemory(buffer);
        }
    }

    private List<(int Index, string Name)> ParseIndexes()
    {
        var result = new List<(int, string)>();
        foreach (DictionaryEntry entry in Secret ?? new Hashtable())
        {
            var key = Convert.ToString(entry.Key, CultureInfo.InvariantCulture);
            if (!int.TryParse(key, NumberStyles.None, CultureInfo.InvariantCulture, out var index) || index < 1)
            {
                throw new IExecException(ErrorIds.InvalidRequesterSecretIndex, IExecErrorCategory.InvalidArgument,
                    $"-Secret key '{key}' is not a requester secret index (1 or more).", key);
            }
            var name = Convert.ToString(entry.Value, CultureInfo.InvariantCulture);
            if (string.IsNullOrEmpty(name))
            {
                throw new IExecException(ErrorIds.InvalidSecretName, IExecErrorCategory.InvalidArgument,
                    $"-Secret index {index} maps to an empty secret name.", index);
            }
            result.Add((index, name));
        }
        return result;
    }
}
