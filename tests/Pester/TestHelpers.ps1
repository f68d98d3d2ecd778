# Shared helpers of the Pester suite. Dot-source it at the top of every test file's BeforeAll:
#
#   BeforeAll { . $PSScriptRoot/TestHelpers.ps1 }
#
# It imports the built module (out/IExecSecrets/IExecSecrets.psd1, laid out by the Release build), puts the
# SecretManagement stand-in (tests/SecretManagementStandIn) on PSModulePath, and gives helpers to start and stop a
# local iExec network (src/IExecSecrets.DevNet) and to run a script in a child pwsh. The runner (eng/pester.sh ->
# tests/Pester/Invoke-Tests.ps1) already gives the run a fresh HOME; New-TestHome gives a test its own one.

Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'
# Plain text, not ANSI, in every log: CI captures output to files.
$PSStyle.OutputRendering = 'PlainText'

$script:RepoRoot = [System.IO.Path]::GetFullPath((Join-Path $PSScriptRoot '../..'))
$script:ManifestPath = Join-Path $script:RepoRoot 'out/IExecSecrets/IExecSecrets.psd1'
$script:StandInPath = Join-Path $script:RepoRoot 'tests/SecretManagementStandIn'
$script:DevNetDll = Join-Path $script:RepoRoot 'src/IExecSecrets.DevNet/bin/Release/net10.0/IExecSecrets.DevNet.dll'

if (-not (Test-Path $script:ManifestPath)) {
    throw "The built module is missing at ${script:ManifestPath}: run 'dotnet build -c Release' (or bash eng/test.sh) first."
}

function Get-TestRepoRoot { $script:RepoRoot }

function Get-TestManifestPath { $script:ManifestPath }

# The PSModulePath a test session uses: the SecretManagement stand-in first, then pwsh's own modules (so core
# modules such as Microsoft.PowerShell.PSResourceGet stay available), never the user's or the machine's modules.
function Get-TestModulePath {
    param([switch] $WithoutSecretManagement)
    $paths = @()
    if (-not $WithoutSecretManagement) { $paths += $script:StandInPath }
    $paths += (Join-Path $PSHOME 'Modules')
    $paths -join [System.IO.Path]::PathSeparator
}

# Imports the built module (and, unless -WithoutSecretManagement, makes the stand-in importable) into the current
# session. -PassThru returns the PSModuleInfo.
function Import-TestModule {
    param([switch] $WithoutSecretManagement, [switch] $PassThru)
    $env:PSModulePath = Get-TestModulePath -WithoutSecretManagement:$WithoutSecretManagement
    Import-Module $script:ManifestPath -Force -PassThru:$PassThru
}

# A new empty folder under the temp directory; removed by Remove-TestDirectory (or left in temp).
function New-TestDirectory {
    param([string] $Prefix = 'iexec-pester')
    $path = Join-Path ([System.IO.Path]::GetTempPath()) "$Prefix-$([guid]::NewGuid().ToString('n').Substring(0, 12))"
    [void](New-Item -ItemType Directory -Path $path)
    $path
}

function Remove-TestDirectory {
    param([string] $Path)
    if ($Path -and (Test-Path $Path)) { Remove-Item -Recurse -Force -Path $Path -ErrorAction SilentlyContinue }
}

# A fresh HOME folder (with the XDG folders inside it) for child processes: pass the result to Invoke-TestPwsh -Home.
# It holds the folders a user's home has (.local/share, .config, .cache): .NET reports a special folder that does not
# exist as "" (and PSResourceGet would then write its repository store into the working directory).
function New-TestHome {
    $path = New-TestDirectory -Prefix 'iexec-home'
    foreach ($folder in '.local/share', '.config', '.cache') { [void](New-Item -ItemType Directory -Force -Path (Join-Path $path $folder)) }
    $path
}

# The command that starts this same pwsh (the dotnet tool's pwsh.dll under `dotnet`, or a native pwsh).
function Get-TestPwshCommand {
    $native = Join-Path $PSHOME 'pwsh'
    if (Test-Path $native -PathType Leaf) { return , @($native) }
    $dll = Join-Path $PSHOME 'pwsh.dll'
    if (Test-Path $dll -PathType Leaf) { return , @('dotnet', $dll) }
    throw "No pwsh found under $PSHOME."
}

# Runs a script in a child pwsh (-NoProfile -NonInteractive) with its own HOME and PSModulePath (-ModulePath $null:
# none set, so pwsh uses its default, the user's folder under HOME first), and returns
# [pscustomobject]@{ ExitCode; Output (string[]); Error (string) }. Arguments reach the script as $args.
function Invoke-TestPwsh {
    param(
        [Parameter(Mandatory)] [string] $Script,
        [string] $HomeDirectory,
        [AllowNull()] [string] $ModulePath = (Get-TestModulePath),
        [string] $WorkingDirectory = [System.IO.Path]::GetTempPath(),
        [string[]] $ArgumentList = @(),
        [hashtable] $Environment = @{}
    )
    $command = Get-TestPwshCommand
    $info = [System.Diagnostics.ProcessStartInfo]::new($command[0])
    foreach ($a in @($command | Select-Object -Skip 1)) { $info.ArgumentList.Add($a) }
    # -Command (its exit code is 1 when the last command failed, as a user's `pwsh -c` sees it); with -Command pwsh
    # would append extra arguments to the script text, so the arguments are given to the script as $args.
    $prelude = if ($ArgumentList.Count) { '$args = @(' + (($ArgumentList | ForEach-Object { "'" + ($_ -replace "'", "''") + "'" }) -join ', ') + ")`n" } else { '' }
    foreach ($a in @('-NoProfile', '-NonInteractive', '-Command', "`$PSStyle.OutputRendering = 'PlainText'`n$prelude$Script")) { $info.ArgumentList.Add($a) }
    $info.WorkingDirectory = $WorkingDirectory
    $info.RedirectStandardOutput = $true
    $info.RedirectStandardError = $true
    $info.RedirectStandardInput = $true
    $info.UseShellExecute = $false
    if ($ModulePath) { $info.Environment['PSModulePath'] = $ModulePath } else { [void]$info.Environment.Remove('PSModulePath') }
    $info.Environment['NO_COLOR'] = '1'
    if ($HomeDirectory) {
        $info.Environment['HOME'] = $HomeDirectory
        $info.Environment['XDG_CONFIG_HOME'] = Join-Path $HomeDirectory '.config'
        $info.Environment['XDG_DATA_HOME'] = Join-Path $HomeDirectory '.local/share'
        $info.Environment['XDG_CACHE_HOME'] = Join-Path $HomeDirectory '.cache'
    }
    foreach ($key in $Environment.Keys) { $info.Environment[$key] = [string]$Environment[$key] }
    $process = [System.Diagnostics.Process]::Start($info)
    $process.StandardInput.Close()
    $stderr = $process.StandardError.ReadToEndAsync()
    $stdout = $process.StandardOutput.ReadToEnd()
    $process.WaitForExit()
    [pscustomobject]@{
        ExitCode = $process.ExitCode
        Output   = @($stdout -split "`r?`n" | Where-Object { $_ -ne '' })
        Error    = $stderr.Result
    }
}

# Starts the local iExec network (anvil + the real PoCo contracts + dev SMS/market/IPFS/worker) in a new temp folder
# and waits until it wrote devnet.json. Returns an object with Directory, Process, LogPath, ChainJsonPath, Chain
# (chain.json parsed), Info (devnet.json parsed), Accounts, and PrivateKey(role) / SecurePrivateKey(role) methods.
# Start it once per file (BeforeAll) and stop it in AfterAll with Stop-TestDevNet: it takes a few seconds.
# With -LeaveFailedTasks its worker leaves a task it failed ACTIVE for the requester to claim, as a real workerpool
# does (Move-TestDevNetClock makes it claimable).
function Start-TestDevNet {
    param([ValidateSet('native', 'token')] [string] $Mode = 'native', [int] $TimeoutSec = 180, [switch] $LeaveFailedTasks)
    if (-not (Test-Path $script:DevNetDll)) { throw "The devnet is not built at ${script:DevNetDll}: run 'dotnet build -c Release'." }
    $directory = New-TestDirectory -Prefix 'iexec-devnet'
    $log = Join-Path $directory 'devnet.log'
    $errorLog = Join-Path $directory 'devnet.err.log'
    $arguments = @($script:DevNetDll, 'up', '--dir', (Join-Path $directory 'chain'), '--mode', $Mode)
    if ($LeaveFailedTasks) { $arguments += '--leave-failed-tasks' }
    $process = Start-Process -FilePath 'dotnet' -ArgumentList $arguments `
        -RedirectStandardOutput $log -RedirectStandardError $errorLog -WorkingDirectory $script:RepoRoot -PassThru
    $devnetJson = Join-Path $directory 'chain/devnet.json'
    $deadline = [DateTime]::UtcNow.AddSeconds($TimeoutSec)
    while (-not (Test-Path $devnetJson)) {
        if ($process.HasExited -or [DateTime]::UtcNow -gt $deadline) {
            $text = (Get-Content -Raw $log -ErrorAction SilentlyContinue) + (Get-Content -Raw $errorLog -ErrorAction SilentlyContinue)
            if (-not $process.HasExited) { Stop-TestDevNet ([pscustomobject]@{ Process = $process; Directory = $null }) }
            throw "The devnet did not start: ${text}"
        }
        Start-Sleep -Milliseconds 250
    }
    # devnet.json is written last but not atomically: read it once it parses.
    $info = $null
    while ($null -eq $info) {
        try { $info = Get-Content -Raw $devnetJson | ConvertFrom-Json } catch { Start-Sleep -Milliseconds 100 }
    }
    $chainJsonPath = Join-Path $directory 'chain/chain.json'
    $devnet = [pscustomobject]@{
        Directory     = Join-Path $directory 'chain'
        Root          = $directory
        Process       = $process
        LogPath       = $log
        ChainJsonPath = $chainJsonPath
        Chain         = Get-Content -Raw $chainJsonPath | ConvertFrom-Json
        Info          = $info
        Accounts      = @($info.accounts)
    }
    $devnet | Add-Member -MemberType ScriptMethod -Name PrivateKey -Value {
        param([string] $Role)
        $account = @($this.Accounts | Where-Object role -EQ $Role)[0]
        if (-not $account) { throw "devnet.json has no account with role '$Role' (roles: $(($this.Accounts.role | Sort-Object -Unique) -join ', '))." }
        $account.privateKey
    }
    $devnet | Add-Member -MemberType ScriptMethod -Name SecurePrivateKey -Value {
        param([string] $Role)
        $secure = [System.Security.SecureString]::new()
        foreach ($c in $this.PrivateKey($Role).ToCharArray()) { $secure.AppendChar($c) }
        $secure.MakeReadOnly()
        $secure
    }
    $devnet | Add-Member -MemberType ScriptMethod -Name Address -Value {
        param([string] $Role)
        @($this.Accounts | Where-Object role -EQ $Role)[0].address
    }
    $devnet
}

# Stops a devnet started by Start-TestDevNet: SIGTERM so it stops anvil and its servers, SIGKILL of the whole tree
# after 30 s, then removes its folder.
function Stop-TestDevNet {
    param([Parameter(Position = 0)] $DevNet)
    if ($null -eq $DevNet) { return }
    $process = $DevNet.Process
    if ($process -and -not $process.HasExited) {
        & kill -TERM $process.Id 2>$null
        if (-not $process.WaitForExit(30000)) { $process.Kill($true) }
    }
    if ($DevNet.Root) { Remove-TestDirectory $DevNet.Root }
}

# Moves a running devnet's chain clock (IExecSecrets.DevNet clock): -Expire <task or deal id> just past its final
# deadline, or -Seconds forward. Returns what the command printed (the deadline and the new chain time).
function Move-TestDevNetClock {
    param([Parameter(Mandatory)] $DevNet, [string] $Expire, [long] $Seconds)
    $arguments = if ($Expire) { @('--expire', $Expire) } else { @('--advance', "$Seconds") }
    $printed = & dotnet $script:DevNetDll clock --dir $DevNet.Directory @arguments 2>&1
    if ($LASTEXITCODE -ne 0) { throw "devnet clock failed: $printed" }
    $printed -join "`n"
}

# Copies the devnet's chain.json into a project folder so every cmdlet run there resolves `devnet` (the default).
function Copy-TestDevNetChain {
    param([Parameter(Mandatory)] $DevNet, [Parameter(Mandatory)] [string] $Destination)
    Copy-Item -Path $DevNet.ChainJsonPath -Destination (Join-Path $Destination 'chain.json') -Force
}

# The set-up of the devnet-backed files: imports the module, starts a devnet (Start-TestDevNet) and enters a new work
# folder holding its chain.json. Returns the devnet and the folder; Exit-TestDevNetWork undoes it.
function Enter-TestDevNetWork {
    param([switch] $LeaveFailedTasks)
    Import-TestModule
    $devnet = Start-TestDevNet -LeaveFailedTasks:$LeaveFailedTasks
    $work = New-TestDirectory
    Copy-TestDevNetChain $devnet $work
    Push-Location $work
    $devnet, $work
}

# Leaves and removes the work folder of Enter-TestDevNetWork and stops its devnet.
function Exit-TestDevNetWork {
    param([Parameter(Mandatory)] $DevNet, [Parameter(Mandatory)] [string] $Work)
    Pop-Location
    Stop-TestDevNet $DevNet
    Remove-TestDirectory $Work
}

# A SecureString from text, char by char (the text never goes through a command line).
function New-TestSecureString {
    param([Parameter(Mandatory)] [AllowEmptyString()] [string] $Text)
    $secure = [System.Security.SecureString]::new()
    foreach ($c in $Text.ToCharArray()) { $secure.AppendChar($c) }
    $secure.MakeReadOnly()
    $secure
}

# Registers an (in-memory, per session) vault of the SecretManagement stand-in, replacing one of the same name, and
# optionally stores secrets in it: Register-TestVault -Name MyVault -Secret @{ x1 = 'one'; key = $secureString }.
function Register-TestVault {
    param([string] $Name = 'MyVault', [hashtable] $Secret = @{})
    Import-Module Microsoft.PowerShell.SecretManagement
    if (Get-SecretVault -Name $Name -ErrorAction SilentlyContinue) { Unregister-SecretVault -Name $Name }
    Register-SecretVault -ModuleName StandIn -Name $Name
    foreach ($key in $Secret.Keys) { Set-Secret -Name $key -Secret $Secret[$key] -Vault $Name }
}

# Registers a dataset on the devnet's DatasetRegistry, owned by the key's account (the module has no dataset
# deployment; the pinned ethers in tools/node sends the transaction), and returns its address.
function New-TestDevNetDataset {
    param([Parameter(Mandatory)] $DevNet, [Parameter(Mandatory)] [string] $PrivateKey, [string] $Name = "dataset-$([guid]::NewGuid().ToString('n').Substring(0, 8))")
    $ethers = Join-Path $script:RepoRoot 'tools/node/node_modules/ethers/lib.esm/index.js'
    $script = Join-Path ([System.IO.Path]::GetTempPath()) "iexec-dataset-$([guid]::NewGuid().ToString('n')).mjs"
    Set-Content -Path $script -Encoding utf8 -Value @"
import { pathToFileURL } from 'node:url';
const ethers = await import(pathToFileURL(process.argv[2]).href);
const [, , , rpc, registryAddress, key, name] = process.argv;
const wallet = new ethers.Wallet(key, new ethers.JsonRpcProvider(rpc, undefined, { staticNetwork: true }));
const registry = new ethers.Contract(registryAddress, ['function createDataset(address,string,bytes,bytes32) returns (address)'], wallet);
const args = [wallet.address, name, ethers.toUtf8Bytes('/ipfs/QmW2WQi7j6c7UgJTarActp7tDNikE4B2qXtFCfLPdsgaTQ'), ethers.id(name)];
const dataset = await registry.createDataset.staticCall(...args);
const receipt = await (await registry.createDataset(...args)).wait();
if (receipt.status !== 1) throw new Error('createDataset reverted');
process.stdout.write(dataset);
"@
    try {
        $address = & node $script $ethers $DevNet.Info.rpcUrl $DevNet.Info.datasetRegistry $PrivateKey $Name 2>&1
        if ($LASTEXITCODE -ne 0) { throw "createDataset failed: $address" }
        [string]$address
    }
    finally { Remove-Item -Force -ErrorAction SilentlyContinue $script }
}

# What a script block printed to the host (the -WhatIf and -Confirm texts, Write-Host), read back from a transcript
# with colour codes removed, so a test can assert the text a user sees and not just that nothing threw. The block's
# output is returned in .Output, the host text in .Text.
function Get-HostText {
    param([Parameter(Mandatory)] [scriptblock] $Script)
    $path = Join-Path ([System.IO.Path]::GetTempPath()) "iexec-host-text-$([guid]::NewGuid().ToString('n')).txt"
    Start-Transcript -Path $path -UseMinimalHeader | Out-Null
    try { $output = & $Script }
    finally { Stop-Transcript | Out-Null }
    try { $text = (Get-Content -Raw -LiteralPath $path) -replace "`e\[[0-9;]*m", '' }
    finally { Remove-Item -LiteralPath $path -Force }
    [pscustomobject]@{ Output = $output; Text = $text }
}
