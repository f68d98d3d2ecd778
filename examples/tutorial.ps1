<#
.SYNOPSIS
    The "Access requester secrets" tutorial, end to end, against the local iExec network.

.DESCRIPTION
    Mirrors iExec's tutorial with IExecSecrets cmdlets: a wallet whose key never appears in clear, the polynomial
    enclave app f(x) = a*x^3 + b*x^2 + c*x + d deployed on chain, its app developer secret "a;b;c;d" and the
    requester secret x kept in a SecretManagement vault and pushed from it to the SMS, then a confidential run
    (Invoke-IExecApp -Tag tee,scone -Secret @{1='x1'} -Watch) whose result lands on disk as
    result.txt = {"x":x,"result":f(x)}, checked against f(x) computed here.

    With -Registry (what eng/tutorial.sh passes when Docker runs) it walks the seed with the image: the enclave app
    is built and sconified with Build-IExecTeeImage (the sconify image given, with the documented arguments),
    pushed to the registry, and deployed as a Docker app whose multiaddr is the pushed reference, whose checksum is
    the registry's manifest digest and whose mrenclave carries the sconify fingerprint; the devnet worker pulls that
    image, checks its digest against the checksum and runs it in Docker. Without -Registry the app is deployed as
    a file:// script the devnet worker runs with node or python3.

    The vault is -Vault when given (a registered SecretManagement vault); otherwise an in-memory vault of the
    repository's SecretManagement stand-in (tests/SecretManagementStandIn), because the real module is not on this
    project's package feeds. It uses only PowerShell core cmdlets and .NET so it runs both in pwsh (eng/tutorial.sh
    runs it in the pinned pwsh 7.6.9) and in an embedded engine (the xunit tutorial test). The devnet has no TEE: it
    checks flows, not enclaves.

.EXAMPLE
    bash eng/tutorial.sh
    Builds everything, starts the devnet and runs this script with the default coefficients and x.

.EXAMPLE
    ./examples/tutorial.ps1 -DevNetDirectory ./.devnet/chain -WorkDirectory ./tmp/tutorial -Coefficients '2;0;-1;5' -X 3
    Runs against an already started devnet with other values.
#>
[CmdletBinding()]
param(
    # The folder where `IExecSecrets.DevNet up --dir` wrote chain.json and devnet.json.
    [Parameter(Mandatory)] [string] $DevNetDirectory,
    # Where the tutorial project (iexec.json, deployed.json, wallet, results) is created.
    [Parameter(Mandatory)] [string] $WorkDirectory,
    # The module manifest to import; default the built module.
    [string] $ModulePath = [System.IO.Path]::Combine($PSScriptRoot, '../out/IExecSecrets/IExecSecrets.psd1'),
    # The app developer secret: four coefficients a;b;c;d.
    [string] $Coefficients = '1;2;3;4',
    # The requester secret x.
    [string] $X = '2',
    # The enclave app variant the devnet worker runs: js or python.
    [ValidateSet('js', 'python')] [string] $Language = 'js',
    # A registered SecretManagement vault to keep the secrets in; default an in-memory stand-in vault.
    [string] $Vault,
    # The registry (host:port) to push the enclave image to; without it the app is deployed as a file:// script.
    [string] $Registry,
    # The registry user for -Registry.
    [string] $RegistryUser,
    # A file holding the registry password (read into a SecureString, kept in the vault, never printed).
    [string] $RegistryPasswordFile,
    # The base image the enclave Dockerfile builds FROM (BASE_IMAGE), e.g. the one eng/tutorial-images.sh builds.
    [string] $BaseImage,
    # The sconify image Build-IExecTeeImage runs, e.g. the stand-in eng/tutorial-images.sh builds.
    [string] $SconifyImage,
    # The Docker engine; default $env:DOCKER_HOST.
    [string] $DockerHost
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest

function Step([string] $Text) { "`n=== $Text" }

# Prints what it is given in its type's default table (ids whole at 80 columns). The script's own output goes through
# one formatter, which prints an object of another type than the first one it saw as a list of every property,
# wrapped at the log's width. Out-Default is a core command, so this also runs in an embedded engine.
function Show { $input | Out-Default }

# SecureStrings built char by char: ConvertTo-SecureString is not part of the embedded engine, and the values
# never pass through a command line.
function New-SecureText([string] $Text) {
    $secure = [System.Security.SecureString]::new()
    foreach ($c in $Text.ToCharArray()) { $secure.AppendChar($c) }
    $secure.MakeReadOnly()
    $secure
}

# .NET resolves relative paths against the process directory, not the PowerShell location: make them absolute.
$DevNetDirectory = [System.IO.Path]::GetFullPath($DevNetDirectory, $PWD.Path)
$WorkDirectory = [System.IO.Path]::GetFullPath($WorkDirectory, $PWD.Path)
Import-Module $ModulePath
$repo = [System.IO.Path]::GetFullPath([System.IO.Path]::Combine($PSScriptRoot, '..'))
[void][System.IO.Directory]::CreateDirectory($WorkDirectory)
# Set-Location lives outside the core engine; the session-state API does the same.
$ExecutionContext.SessionState.Path.SetLocation($WorkDirectory) | Out-Null

Step 'A new wallet, encrypted in an iexec-compatible keystore; the key is never shown'
$keystoreDirectory = [System.IO.Path]::Combine($WorkDirectory, 'keystore')
$password = New-SecureText ([guid]::NewGuid().ToString())
$wallet = New-IExecWallet -Password $password -KeystoreDirectory $keystoreDirectory -Confirm:$false
# One row: the wallet as connected (New-IExecWallet's own row would say "not connected" just before).
Connect-IExecWallet -Address $wallet.Address -KeystoreDirectory $keystoreDirectory -Password $password | Show

Step 'Initialize the project like `iexec init --skip-wallet`'
Initialize-IExecProject -Path $WorkDirectory -Tee scone -Force -Confirm:$false | Show
# The folder had no chain.json, so that wrote the public one (an existing chain.json is kept); every cmdlet reads
# ./chain.json as the CLI does, so put the devnet's in its place: it makes `devnet` the default chain.
[System.IO.File]::Copy([System.IO.Path]::Combine($DevNetDirectory, 'chain.json'), [System.IO.Path]::Combine($WorkDirectory, 'chain.json'), $true)

Step 'The local chain'
Get-IExecChain -Name devnet | Show

Step 'Keep the app developer secret and the requester secret in a vault'
if (-not $Vault) {
    # The real Microsoft.PowerShell.SecretManagement is not on this project's feeds: use the repository's stand-in,
    # an in-memory vault with the same commands (Register-SecretVault, Set-Secret, Get-Secret).
    $Vault = 'TutorialVault'
    if (-not (Get-Command Register-SecretVault -ErrorAction SilentlyContinue)) {
        Import-Module ([System.IO.Path]::Combine($repo, 'tests', 'SecretManagementStandIn', 'Microsoft.PowerShell.SecretManagement', 'Microsoft.PowerShell.SecretManagement.psd1'))
    }
    if (-not (Get-SecretVault -Name $Vault -ErrorAction SilentlyContinue)) { Register-SecretVault -ModuleName StandIn -Name $Vault }
}
Set-Secret -Vault $Vault -Name poly-coefficients -Secret (New-SecureText $Coefficients)
Set-Secret -Vault $Vault -Name x1 -Secret (New-SecureText $X)
"vault $Vault holds poly-coefficients and x1"

$appName = "secret-polynomial-$Language-$([guid]::NewGuid().ToString('N').Substring(0, 8))"
if ($Registry) {
    Step 'Build the enclave image, sconify it and push it (Build-IExecTeeImage)'
    if ($Language -ne 'js') { throw "-Registry builds the js enclave app only (the base image eng/tutorial-images.sh builds is Node.js)" }
    if (-not $RegistryUser -or -not $RegistryPasswordFile) { throw "-Registry needs -RegistryUser and -RegistryPasswordFile" }
    # The password goes file -> SecureString -> vault, char by char, never through a string variable or a command line.
    $registryPassword = [System.Security.SecureString]::new()
    foreach ($c in [System.IO.File]::ReadAllText([System.IO.Path]::GetFullPath($RegistryPasswordFile, $PWD.Path)).TrimEnd("`r", "`n").ToCharArray()) { $registryPassword.AppendChar($c) }
    $registryPassword.MakeReadOnly()
    Set-Secret -Vault $Vault -Name registry-login -Secret ([System.Management.Automation.PSCredential]::new($RegistryUser, $registryPassword))
    $buildArgs = @{}
    if ($BaseImage) { $buildArgs.BASE_IMAGE = $BaseImage }
    $build = @{
        Path                         = [System.IO.Path]::Combine($repo, 'enclave', $Language)
        Tag                          = "$Registry/iexecsecrets-tutorial/$($appName):1.0.0-debug"
        BuildArg                     = $buildArgs
        Push                         = $true
        RegistryCredentialVault      = $Vault
        RegistryCredentialSecretName = 'registry-login'
        UpdateProject                = $true
        Confirm                      = $false
    }
    if ($SconifyImage) { $build.SconifyImage = $SconifyImage }
    if ($DockerHost) { $build.DockerHost = $DockerHost }
    $image = Build-IExecTeeImage @build
    $image | Show
    # The reference and the mrenclave on lines of their own: a log must show them whole, whatever its width.
    "Sconified image: $($image.SconifiedImage)"
    "MrEnclave: $($image.MrEnclave)"

    Step 'Deploy the pushed image: multiaddr = the reference, checksum = the manifest digest, mrenclave = the sconify fingerprint'
    $app = Deploy-IExecApp -Name $appName -Multiaddr $image.SconifiedImage -Checksum $image.Checksum -MrEnclave $image.MrEnclave -Confirm:$false
}
else {
    Step 'Deploy the enclave app as a file:// script (no -Registry: the devnet worker runs it as a local process)'
    $appFile = [System.IO.Path]::Combine($repo, 'enclave', $Language, $(if ($Language -eq 'js') { 'app.js' } else { 'app.py' }))
    $appBytes = [System.IO.File]::ReadAllBytes($appFile)
    $digest = [System.Security.Cryptography.SHA256]::HashData($appBytes)
    $checksum = '0x' + [System.Convert]::ToHexString($digest).ToLowerInvariant()
    # No enclave here, so no real MRENCLAVE: the file digest stands in for the fingerprint, in the SCONE layout.
    $mrenclave = [ordered]@{
        framework   = 'SCONE'
        version     = 'v5.9'
        entrypoint  = if ($Language -eq 'js') { 'node /app/app.js' } else { 'python3 /app/app.py' }
        heapSize    = 1073741824
        fingerprint = [System.Convert]::ToHexString($digest).ToLowerInvariant()
    }
    $app = Deploy-IExecApp -Name $appName -Multiaddr ([System.Uri]::new($appFile).AbsoluteUri) -Checksum $checksum -MrEnclave $mrenclave -Confirm:$false
}
$app | Show
"Deployed app $($app.Name) at $($app.Address) in transaction $($app.TxHash)"
"Multiaddr: $($app.Multiaddr)"
"Checksum: $($app.Checksum)"
"MrEnclave: $($app.MrEnclave)"

Step 'Push the app developer secret (the coefficients) from the vault and check it'
Push-IExecAppSecret -App $app.Address -Vault $Vault -VaultSecretName poly-coefficients -Confirm:$false | Show
Test-IExecAppSecret -App $app.Address | Show

Step 'Push the requester secret x1 from the vault and check it'
Push-IExecRequesterSecret -Name x1 -Vault $Vault -Confirm:$false | Show
Test-IExecRequesterSecret -Name x1 | Show

Step 'Run the app with requester secret 1 = x1, watch it, and save the result'
# No -Workerpool: like `iexec app run`, the run takes the devnet workerpool's tee,scone order from the market.
$deal = Invoke-IExecApp -App $app.Address -Tag tee, scone -Secret @{ 1 = 'x1' } -Watch -Force
$deal | Show
foreach ($task in $deal.Tasks) { "Task $($task.TaskId): $($task.Status)" }
if (-not $deal.Succeeded) { throw "The run did not complete: $($deal.Tasks)" }
$saved = $deal.TaskIds | Save-IExecTaskResult -Path ([System.IO.Path]::Combine($WorkDirectory, 'result.zip')) -Expand
$saved | Show
$resultFile = [System.IO.Path]::Combine($saved.ExpandedPath, 'result.txt')
# result.txt holds x, a secret too: say where it is, not what it says.
Step "Result: $resultFile ($([System.IO.FileInfo]::new($resultFile).Length) bytes)"

# The enclave's answer, checked against the same polynomial computed here.
$result = [System.Text.Json.JsonDocument]::Parse([System.IO.File]::ReadAllText($resultFile)).RootElement
$a, $b, $c, $d = $Coefficients.Split(';') | ForEach-Object { [decimal]::Parse($_, [System.Globalization.CultureInfo]::InvariantCulture) }
$xValue = [decimal]::Parse($X, [System.Globalization.CultureInfo]::InvariantCulture)
$expected = $a * $xValue * $xValue * $xValue + $b * $xValue * $xValue + $c * $xValue + $d
if ($result.GetProperty('result').GetDecimal() -ne $expected) {
    # The message names no input: the coefficients and x are secrets, even here.
    throw "result.txt does not hold f(x) for the coefficients and x that were pushed"
}
"The enclave app's result equals f(x) computed here from the pushed coefficients and x."
