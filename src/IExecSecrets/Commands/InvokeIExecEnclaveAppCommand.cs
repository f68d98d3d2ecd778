using System.Collections;
using System.Globalization;
using IExecSecrets.Completers;
using System.Security;
using System.Security.Cryptography;
using IExecSecrets.Core.Errors;
using IExecSecrets.Core.Tee;
using IExecSecrets.SecretManagement;

namespace IExecSecrets.Commands;

/// <summary>
/// Runs an enclave app locally, outside any enclave, with its secrets mapped to IEXEC_* variables, like iapp
/// test.
/// </summary>
/// <remarks>
/// <para>Starts the app the way an iExec worker would, but on this machine. It runs either as a node or python3
/// process on the app folder, or as a container of a built image. The app developer secret, the requester
/// secrets, IEXEC_IN, IEXEC_OUT, IEXEC_TASK_ID and the bag-of-tasks variables are passed in the environment,
/// never on a command line. The process does not inherit this session's environment: it gets the IEXEC_*
/// variables plus a minimal environment (PATH; HOME and TMPDIR in a private temporary folder, readable by you only,
/// deleted after the run; LANG=C.UTF-8; on Windows also SystemRoot, windir, ComSpec, PATHEXT, SystemDrive, USERPROFILE, TEMP and
/// TMP). -Environment adds variables and -InheritEnvironment passes the whole session environment (still without
/// its IEXEC_* variables). A container gets the IEXEC_* and -Environment variables over the image's own
/// ENV.</para>
/// <para>A process run is not an isolation. The app runs as you: it can read your files, the environment of every
/// process you run through /proc (this session's included, two levels up: its own parent is a supervisor started
/// with an empty environment), write anywhere you can, and use the network. Run only apps you trust this way, or run
/// the built image with -Image. The app dies with this session: the supervisor kills the app and everything it
/// started when PowerShell exits or is killed (SIGTERM, SIGHUP, even SIGKILL), when the run is stopped (Ctrl+C) and
/// when the app exits; the private HOME/TMPDIR folder is removed after the run, or at the next run if this session
/// was killed first. On Windows the app is killed with its process tree when the run is stopped, but outlives a
/// killed PowerShell.</para>
/// <para>The run object gives the exit code, the output folder and the result file that computed.json names. If
/// the app exits with a non-zero code, the object is still written, followed by an EnclaveAppFailed error. Secret
/// values exist as plain text only in the environment handed to the process or container.</para>
/// <para>What the app prints is never copied into an error message. The StandardOutput and StandardError
/// properties and the log file (-LogPath, default &lt;OutputPath&gt;.log) hold it with every secret value the run
/// passed (app developer secret, requester secrets, SecureString values of -Environment) replaced by ***,
/// including the quoted and escaped forms Python and Node.js print strings in. An app can still print a secret in
/// a form no redactor can know (reversed, encoded); only the output files it writes are its own business.</para>
/// </remarks>
/// <example>
/// <code>Invoke-IExecEnclaveApp ./enclave/js -AppSecretName poly-coefficients -Secret @{1="x1"} -Vault MyVault -OutputPath ./out; Get-Content ./out/result.txt</code>
/// <para>Runs the JavaScript tutorial app with the coefficients and x read from the vault, then shows result.txt,
/// for example {"x":2,"result":26}.</para>
/// </example>
/// <example>
/// <code>Invoke-IExecEnclaveApp -Image me/secret-function:1.0.0-debug -AppSecret (Read-Host -AsSecureString) -OutputPath ./out-image</code>
/// <para>Runs the built image with a typed app secret and no requester secret, so x defaults to 1. The output
/// folder is mounted into the container.</para>
/// </example>
/// <example>
/// <code>$run = Invoke-IExecEnclaveApp ./my-app -Secret @{1="x1"} -Vault MyVault -Environment @{ LOG_LEVEL = "debug"; API_TOKEN = (Get-Secret api-token) } -OutputPath ./out -ErrorAction Continue; $run.StandardError</code>
/// <para>Adds two variables to the app's minimal environment; the API token is a SecureString, so it is redacted
/// like the requester secret. If the app fails, the error points to ./out.log and $run.StandardError shows what
/// it printed with *** in place of the secrets.</para>
/// </example>
/// <input type="None.">None. You cannot pipe input to this cmdlet.</input>
/// <output type="IExecSecrets.Output.IExecEnclaveRun">Succeeded, ExitCode, OutputPath, ComputedJsonPath,
/// ResultPath, StandardOutput and StandardError (secret values replaced by ***) and LogPath.</output>
[Cmdlet(VerbsLifecycle.Invoke, "IExecEnclaveApp", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low, DefaultParameterSetName = ProcessParameterSet, HelpUri = "https://github.com/IExecSecrets/IExecSecrets/blob/main/docs/cmdlets/Invoke-IExecEnclaveApp.md")]
[OutputType(typeof(IExecEnclaveRun))]
public sealed class InvokeIExecEnclaveAppCommand : IExecCmdlet
{
    private const string ProcessParameterSet = "Process";
    private const string ImageParameterSet = "Image";

    /// <summary>
    /// The app folder holding app.js or app.py, or the app file itself (for example ./enclave/js/app.js). It is run
    /// with the local node or python3; a missing interpreter fails with EnclaveRuntimeNotFound.
    /// </summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = ProcessParameterSet)]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = string.Empty;

    /// <summary>
    /// A built image (plain or sconified) to run instead of a local process. The output folder is mounted at /iexec_out
    /// and the input folder at /iexec_in.
    /// </summary>
    [Parameter(Mandatory = true, ParameterSetName = ImageParameterSet)]
    [ValidateNotNullOrEmpty]
    public string Image { get; set; } = string.Empty;

    /// <summary>JavaScript or Python. Default: detected from the file's extension, or from the folder's files.</summary>
    [Parameter(ParameterSetName = ProcessParameterSet)]
    public EnclaveLanguage Language { get; set; }

    /// <summary>
    /// Requester secrets as index = vault secret name, for example @{1="x1"}. Each value is read from SecretManagement
    /// and given to the app as IEXEC_REQUESTER_SECRET_&lt;index&gt;. Indexes start at 1 (else
    /// InvalidRequesterSecretIndex).
    /// </summary>
    [Parameter]
    public Hashtable? Secret { get; set; }

    /// <summary>
    /// The vault the -Secret names and -AppSecretName are read from. Default: the registered vaults in SecretManagement
    /// order.
    /// </summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(VaultNameCompleter))]
    public string? Vault { get; set; }

    /// <summary>
    /// The app developer secret, given to the app as IEXEC_APP_DEVELOPER_SECRET (for the tutorial, "a;b;c;d").
    /// </summary>
    [Parameter]
    public SecureString? AppSecret { get; set; }

    /// <summary>The vault secret holding the app developer secret, used instead of -AppSecret.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? AppSecretName { get; set; }

    /// <summary>
    /// The folder the app writes (IEXEC_OUT). It is created when missing, and its files stay on disk after the run.
    /// </summary>
    [Parameter(Mandatory = true)]
    [ValidateNotNullOrEmpty]
    public string OutputPath { get; set; } = string.Empty;

    /// <summary>The input folder (IEXEC_IN). Default: an empty folder next to the output folder.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? InputPath { get; set; }

    /// <summary>IEXEC_TASK_ID, 0x and 64 hex digits. Default: the zero task id.</summary>
    [Parameter]
    [ValidatePattern("^0x[0-9a-fA-F]{64}$")]
    public string? TaskId { get; set; }

    /// <summary>
    /// The Docker engine for -Image, for example unix:///var/run/docker.sock or npipe://./pipe/docker_engine; it wins
    /// over every default. Default: $env:DOCKER_HOST, else the docker CLI's current context ($env:DOCKER_CONTEXT, else
    /// the one 'docker context use' chose), else unix:///var/run/docker.sock (npipe://./pipe/docker_engine on Windows).
    /// A malformed address fails with InvalidDockerEndpoint, and a current context that does not exist with
    /// DockerContextNotFound, before any connection.
    /// </summary>
    [Parameter(ParameterSetName = ImageParameterSet)]
    [ValidateNotNullOrEmpty]
    public string? DockerHost { get; set; }

    /// <summary>
    /// Extra environment variables for the app, name = value, e.g. @{ LOG_LEVEL = 'debug' }. A SecureString value is
    /// treated as a secret: passed to the app and redacted from what it prints. Names starting with IEXEC_ are
    /// refused (InvalidEnclaveEnvironment): the run sets those itself.
    /// </summary>
    [Parameter]
    [ValidateNotNull]
    public IDictionary? Environment { get; set; }

    /// <summary>
    /// Passes this session's whole environment (minus its IEXEC_* variables) to the local process instead of the
    /// minimal one (PATH, HOME and TMPDIR in a private temporary folder, LANG=C.UTF-8).
    /// </summary>
    [Parameter(ParameterSetName = ProcessParameterSet)]
    public SwitchParameter InheritEnvironment { get; set; }

    /// <summary>
    /// The file that receives what the app printed (exit code, stdout, stderr; secret values replaced by ***);
    /// default &lt;OutputPath&gt;.log, next to the output folder.
    /// </summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? LogPath { get; set; }

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
            var (plainEnvironment, secretEnvironment) = SplitEnvironment(buffers);

            var outputPath = GetUnresolvedProviderPathFromPSPath(OutputPath);

            var request = new EnclaveRunRequest
            {
                AppPath = ParameterSetName == ProcessParameterSet ? GetUnresolvedProviderPathFromPSPath(Path) : null,
                Image = ParameterSetName == ImageParameterSet ? Image : null,
                Language = MyInvocation.BoundParameters.ContainsKey(nameof(Language)) ? Language : null,
                AppSecret = appSecret,
                RequesterSecrets = requesterSecrets,
                OutputPath = outputPath,
                InputPath = InputPath is null ? null : GetUnresolvedProviderPathFromPSPath(InputPath),
                TaskId = TaskId,
                DockerHost = DockerHost,
                Environment = plainEnvironment,
                SecretEnvironment = secretEnvironment,
                InheritEnvironment = InheritEnvironment.IsPresent,
                LogPath = LogPath is null
                    ? System.IO.Path.TrimEndingDirectorySeparator(System.IO.Path.GetFullPath(outputPath)) + ".log"
                    : GetUnresolvedProviderPathFromPSPath(LogPath),
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
                LogPath = run.LogPath,
            });
            if (run.ExitCode != 0)
            {
                // What the app printed is never quoted here, even redacted: it is the app's text, and an app can
                // print a secret in a form no redactor recognises. The message points to where it can be read.
                WriteIExecError(new IExecException(ErrorIds.EnclaveAppFailed,
                    $"The enclave app exited with code {run.ExitCode}. What it printed, with secret values replaced by ***, " +
                    $"is in the StandardError and StandardOutput properties of the run written to the pipeline and in \"{run.LogPath}\".", target)
                { RecommendedAction = $"Read \"{run.LogPath}\", or the StandardError property of the IExecEnclaveRun this command wrote." });
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

    private (Dictionary<string, string> Plain, Dictionary<string, ReadOnlyMemory<byte>> Secret) SplitEnvironment(List<byte[]> buffers)
    {
        var plain = new Dictionary<string, string>(StringComparer.Ordinal);
        var secret = new Dictionary<string, ReadOnlyMemory<byte>>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in Environment ?? new Hashtable())
        {
            var name = Convert.ToString(entry.Key, CultureInfo.InvariantCulture) ?? string.Empty;
            switch (entry.Value is PSObject wrapped ? wrapped.BaseObject : entry.Value)
            {
                case SecureString secure:
                    var bytes = SecureStrings.ToUtf8Bytes(secure);
                    buffers.Add(bytes);
                    secret[name] = bytes;
                    break;
                case null:
                    throw new IExecException(ErrorIds.InvalidEnclaveEnvironment,
                        $"-Environment variable '{name}' has no value.", name);
                case var value:
                    plain[name] = Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty;
                    break;
            }
        }
        return (plain, secret);
    }

    private List<(int Index, string Name)> ParseIndexes()
    {
        var result = new List<(int, string)>();
        foreach (DictionaryEntry entry in Secret ?? new Hashtable())
        {
            var key = Convert.ToString(entry.Key, CultureInfo.InvariantCulture);
            if (!int.TryParse(key, NumberStyles.None, CultureInfo.InvariantCulture, out var index) || index < 1)
            {
                throw new IExecException(ErrorIds.InvalidRequesterSecretIndex,
                    $"-Secret key '{key}' is not a requester secret index (1 or more).", key);
            }
            var name = Convert.ToString(entry.Value, CultureInfo.InvariantCulture);
            if (string.IsNullOrEmpty(name))
            {
                throw new IExecException(ErrorIds.InvalidSecretName,
                    $"-Secret index {index} maps to an empty secret name.", index);
            }
            result.Add((index, name));
        }
        return result;
    }
}
