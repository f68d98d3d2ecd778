<#
.SYNOPSIS
    The "Access requester secrets" tutorial, end to end, against the local iExec network.

.DESCRIPTION
    Mirrors iExec's tutorial with IExecSecrets cmdlets: a wallet whose key never appears in clear, the polynomial
    enclave app f(x) = a*x^3 + b*x^2 + c*x + d deployed on chain, its app developer secret "a;b;c;d" and the
    requester secret x pushed to the SMS and checked, then (where the run cmdlets are present) a confidential run
    whose result lands on disk as result.txt = {"x":x,"result":f(x)}.

    It uses only PowerShell core cmdlets and .NET so it runs both in pwsh and in the embedded engine (iexec-pwsh)
    that eng/tutorial.sh falls back to. The devnet has no TEE: it checks flows, not enclaves.

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
    [ValidateSet('js', 'python')] [string] $Language = 'js'
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest

function Step([string] $Text) { "`n=== $Text" }

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
$devnet = [System.Text.Json.JsonDocument]::Parse([System.IO.File]::ReadAllText([System.IO.Path]::Combine($DevNetDirectory, 'devnet.json'))).RootElement
[void][System.IO.Directory]::CreateDirectory($WorkDirectory)
# Set-Location lives outside the core engine; the session-state API does the same.
$ExecutionContext.SessionState.Path.SetLocation($WorkDirectory) | Out-Null

Step 'A new wallet, encrypted in an iexec-compatible keystore; the key is never shown'
$keystoreDirectory = [System.IO.Path]::Combine($WorkDirectory, 'keystore')
$password = New-SecureText ([guid]::NewGuid().ToString())
$wallet = New-IExecWallet -Password $password -KeystoreDirectory $keystoreDirectory -Confirm:$false
$wallet
Connect-IExecWallet -Address $wallet.Address -KeystoreDirectory $keystoreDirectory -Password $password

Step 'Initialize the project like `iexec init --skip-wallet`'
Initialize-IExecProject -Path $WorkDirectory -Tee scone -Force -Confirm:$false
# Like `iexec init --force`, that wrote the public chain.json; every cmdlet reads ./chain.json as the CLI does, so put
# the devnet's back: it makes `devnet` the default chain.
[System.IO.File]::Copy([System.IO.Path]::Combine($DevNetDirectory, 'chain.json'), [System.IO.Path]::Combine($WorkDirectory, 'chain.json'), $true)

Step 'The local chain'
Get-IExecChain -Name devnet

Step 'Deploy the enclave app (the devnet worker runs file:// apps as local processes)'
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
$app = Deploy-IExecApp -Name "secret-polynomial-$Language-$([guid]::NewGuid().ToString('N').Substring(0, 8))" `
    -Multiaddr ([System.Uri]::new($appFile).AbsoluteUri) -Checksum $checksum -MrEnclave $mrenclave -Confirm:$false
$app

Step 'Push the app developer secret (the coefficients) and check it'
Push-IExecAppSecret -App $app.Address -Value (New-SecureText $Coefficients) -Confirm:$false
Test-IExecAppSecret -App $app.Address

Step 'Push the requester secret x1 and check it'
Push-IExecRequesterSecret -Name x1 -Value (New-SecureText $X) -Confirm:$false
Test-IExecRequesterSecret -Name x1

if (-not (Get-Command Invoke-IExecApp -ErrorAction SilentlyContinue)) {
    Step 'Run: Invoke-IExecApp is not part of this build yet; the walk-through stops after the secrets'
    return
}

Step 'Run the app with requester secret 1 = x1, watch it, and save the result'
$workerpool = $devnet.GetProperty('workerpool').GetString()
$deal = Invoke-IExecApp -App $app.Address -Tag tee, scone -Workerpool $workerpool -Secret @{ 1 = 'x1' } -Watch -Force
$deal
if (-not $deal.Succeeded) { throw "The run did not complete: $($deal.Tasks)" }
$saved = $deal.TaskIds | Save-IExecTaskResult -Path ([System.IO.Path]::Combine($WorkDirectory, 'result.zip')) -Expand
$saved
$resultFile = [System.IO.Path]::Combine($saved.ExpandedPath, 'result.txt')
Step "Result ($resultFile)"
[System.IO.File]::ReadAllText($resultFile)

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
