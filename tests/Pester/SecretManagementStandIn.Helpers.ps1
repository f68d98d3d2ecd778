# Helpers of SecretManagementStandIn.Tests.ps1: which SecretManagement the file tests, vaults made the same way in
# either case, and a PowerShell host that answers password prompts.
#
# The file tests the stand-in (tests/SecretManagementStandIn) against the table the real modules were observed to
# follow (shared note secretmanagement-behaviour.md, "Update 2026-12-05"). The same file runs against the real
# Microsoft.PowerShell.SecretManagement and Microsoft.PowerShell.SecretStore when they are installed:
#   - found on PSModulePath as the Pester run starts (outside the stand-in folder), or
#   - in the folder named by IEXEC_REAL_SECRETMANAGEMENT (holding both module folders), e.g.
#       IEXEC_REAL_SECRETMANAGEMENT=$HOME/.local/share/powershell/Modules bash eng/pester.sh -Path tests/Pester/SecretManagementStandIn.Tests.ps1
# The run then names "real modules" in every Describe; SecretStore keeps its files under the run's fresh HOME.

# The folder holding the real modules, or $null (then the stand-in is tested).
function Find-RealSecretManagement {
    $standIn = [System.IO.Path]::GetFullPath((Join-Path $PSScriptRoot '../SecretManagementStandIn'))
    $folders = @()
    if ($env:IEXEC_REAL_SECRETMANAGEMENT) { $folders += $env:IEXEC_REAL_SECRETMANAGEMENT }
    $folders += @($env:PSModulePath -split [System.IO.Path]::PathSeparator | Where-Object { $_ })
    foreach ($folder in $folders) {
        if (-not (Test-Path -LiteralPath $folder)) { continue }
        if ([System.IO.Path]::GetFullPath($folder).TrimEnd('/', '\') -eq $standIn.TrimEnd('/', '\')) { continue }
        $management = Join-Path $folder 'Microsoft.PowerShell.SecretManagement'
        $store = Join-Path $folder 'Microsoft.PowerShell.SecretStore'
        if ((Test-Path $management) -and (Test-Path $store)) { return [System.IO.Path]::GetFullPath($folder) }
    }
    $null
}

# True when this run tests the real modules (Find-RealSecretManagement's folder is in IEXEC_REAL_SECRETMANAGEMENT).
function Test-RealModules { [bool]$env:IEXEC_REAL_SECRETMANAGEMENT }

# Puts the chosen SecretManagement on PSModulePath (after Import-TestModule) and imports it. Returns $true for the real one.
function Use-TestSecretManagement {
    $real = $env:IEXEC_REAL_SECRETMANAGEMENT
    if ($real) {
        $env:PSModulePath = $real + [System.IO.Path]::PathSeparator + (Get-TestModulePath -WithoutSecretManagement)
        Import-Module Microsoft.PowerShell.SecretStore -Force
    }
    Import-Module Microsoft.PowerShell.SecretManagement -Force
    [bool]$real
}

# Unregisters every vault; with the real modules also empties SecretStore (no password, no prompt).
function Reset-TestVaults {
    foreach ($vault in @(Get-SecretVault)) { Unregister-SecretVault -Name $vault.Name }
    if ((Test-RealModules)) {
        Reset-SecretStore -Authentication None -Interaction None -Force -Confirm:$false
    }
}

# A SecretStore vault (every SecretStore vault name shares one store). -Password: the store needs it and starts
# locked; -Prompt: Interaction=Prompt (a locked store asks the host for its password).
function New-TestStoreVault {
    param([Parameter(Mandatory)] [string] $Name, [securestring] $Password, [switch] $Prompt)
    if ((Test-RealModules)) {
        if ($Password) {
            $interaction = if ($Prompt) { 'Prompt' } else { 'None' }
            Reset-SecretStore -Authentication Password -Password $Password -Interaction $interaction -Force -Confirm:$false
        }
        Register-SecretVault -ModuleName Microsoft.PowerShell.SecretStore -Name $Name
        return
    }
    $parameters = @{}
    if ($Password) { $parameters['Password'] = $Password }
    if ($Prompt) { $parameters['Interaction'] = 'Prompt' }
    Register-SecretVault -ModuleName Microsoft.PowerShell.SecretStore -Name $Name -VaultParameters $parameters
}

# Locks the SecretStore again after secrets were stored in it, as a new process or the end of its password timeout
# does. The stand-in's store is locked in its module scope; the real one is given a 1 s password timeout and awaited
# (condition wait: Test-SecretVault turns false) before the timeout is set back.
function Lock-TestStore {
    param([Parameter(Mandatory)] [string] $Name, [Parameter(Mandatory)] [securestring] $Password)
    if (-not (Test-RealModules)) {
        & (Get-Module Microsoft.PowerShell.SecretManagement) { param($vault) (Get-StandInStore $vault).Locked = $true } $Name
        return
    }
    Set-SecretStoreConfiguration -PasswordTimeout 1 -Password $Password -Confirm:$false
    $deadline = [DateTime]::UtcNow.AddSeconds(60)
    while (Test-SecretVault -Name $Name -ErrorAction SilentlyContinue) {
        if ([DateTime]::UtcNow -gt $deadline) { throw "SecretStore did not lock within 60 s." }
        Start-Sleep -Milliseconds 200
    }
}

# A fresh session's one Interaction=Prompt SecretStore vault holding the given string secrets, locked again: what a
# runbook meets in a new process. The module and the SecretManagement in use (stand-in or real) are imported first.
function New-TestLockedPromptVault {
    param([Parameter(Mandatory)] [string] $Name, [Parameter(Mandatory)] [securestring] $Password, [Parameter(Mandatory)] [hashtable] $Secret)
    Import-TestModule | Out-Null
    Use-TestSecretManagement | Out-Null
    Reset-TestVaults
    New-TestStoreVault -Name $Name -Password $Password -Prompt
    Unlock-SecretVault -Name $Name -Password $Password
    foreach ($entry in $Secret.GetEnumerator()) { Set-Secret -Name $entry.Key -Secret $entry.Value -Vault $Name }
    Lock-TestStore -Name $Name -Password $Password
}

# A vault with a store of its own (for search order and copies between vaults): the stand-in's own extension, or,
# with the real modules, a minimal script extension vault written to a temp folder (in-memory, per vault name).
function New-TestPlainVault {
    param([Parameter(Mandatory)] [string] $Name, [string] $Description, [hashtable] $VaultParameters = @{})
    $module = 'StandIn'
    if ((Test-RealModules)) { $module = Get-TestExtensionVault }
    $extra = @{}
    if ($Description) { $extra['Description'] = $Description }
    Register-SecretVault -ModuleName $module -Name $Name -VaultParameters $VaultParameters @extra
}

function Get-TestExtensionVault {
    if ($script:ExtensionVault) { return $script:ExtensionVault }
    $root = Join-Path (New-TestDirectory -Prefix 'iexec-extvault') 'IExecTestVault'
    $extension = Join-Path $root 'IExecTestVault.Extension'
    New-Item -ItemType Directory -Path $extension -Force | Out-Null
    Set-Content -Path (Join-Path $root 'IExecTestVault.psd1') -Value "@{ ModuleVersion = '1.0'; GUID = '6f3b8a52-3c1e-4a55-9d2f-0b7e3a9c4d11'; NestedModules = @('./IExecTestVault.Extension'); FunctionsToExport = @(); CmdletsToExport = @() }"
    Set-Content -Path (Join-Path $extension 'IExecTestVault.Extension.psd1') -Value "@{ ModuleVersion = '1.0'; GUID = '9c0d2e71-8b4a-4f6e-a1d3-5e2f7b8c9a02'; RootModule = 'IExecTestVault.Extension.psm1'; RequiredAssemblies = @(); FunctionsToExport = @('Get-Secret', 'Set-Secret', 'Remove-Secret', 'Get-SecretInfo', 'Test-SecretVault') }"
    Set-Content -Path (Join-Path $extension 'IExecTestVault.Extension.psm1') -Value @'
$script:Vaults = @{}
function Get-VaultTable([string] $VaultName) { if (-not $script:Vaults[$VaultName]) { $script:Vaults[$VaultName] = @{} }; $script:Vaults[$VaultName] }
function Get-Secret { param([string] $Name, [string] $VaultName, [hashtable] $AdditionalParameters) $t = Get-VaultTable $VaultName; if ($t.ContainsKey($Name)) { Write-Output $t[$Name] -NoEnumerate } }
function Set-Secret { param([string] $Name, [object] $Secret, [string] $VaultName, [hashtable] $AdditionalParameters, [hashtable] $Metadata) (Get-VaultTable $VaultName)[$Name] = $Secret; $true }
function Remove-Secret { param([string] $Name, [string] $VaultName, [hashtable] $AdditionalParameters) (Get-VaultTable $VaultName).Remove($Name); $true }
function Get-SecretInfo {
    param([string] $Filter, [string] $VaultName, [hashtable] $AdditionalParameters)
    $t = Get-VaultTable $VaultName
    foreach ($name in @($t.Keys | Where-Object { $_ -like $Filter } | Sort-Object)) {
        $type = switch ($t[$name]) { { $_ -is [byte[]] } { 'ByteArray'; break } { $_ -is [string] } { 'String'; break } { $_ -is [securestring] } { 'SecureString'; break } { $_ -is [pscredential] } { 'PSCredential'; break } default { 'Hashtable' } }
        [Microsoft.PowerShell.SecretManagement.SecretInformation]::new($name, [Microsoft.PowerShell.SecretManagement.SecretType]$type, $VaultName)
    }
}
function Test-SecretVault { param([string] $VaultName, [hashtable] $AdditionalParameters) $true }
'@
    $script:ExtensionVault = Join-Path $root 'IExecTestVault.psd1'
    $script:ExtensionVault
}

# A PowerShell host whose UI answers each masked read with the next of the given passwords (none left: it fails the
# way pwsh -NonInteractive does), counting the reads and keeping what was written.
function New-TestPromptHost {
    param([string[]] $Answers = @())
    if (-not ('IExecTests.PromptHost' -as [type])) {
        Add-Type -TypeDefinition @'
using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Globalization;
using System.Management.Automation;
using System.Management.Automation.Host;
using System.Security;
using System.Text;
namespace IExecTests {
public sealed class PromptHost : PSHost {
    private readonly PromptUI _ui;
    public PromptHost(string[] answers) { _ui = new PromptUI(answers); }
    public int SecurePrompts { get { return _ui.SecurePrompts; } }
    public string Written { get { lock (_ui.Text) return _ui.Text.ToString(); } }
    public override CultureInfo CurrentCulture { get { return CultureInfo.InvariantCulture; } }
    public override CultureInfo CurrentUICulture { get { return CultureInfo.InvariantCulture; } }
    public override Guid InstanceId { get; } = Guid.NewGuid();
    public override string Name { get { return "IExecTestPromptHost"; } }
    public override PSHostUserInterface UI { get { return _ui; } }
    public override Version Version { get { return new Version(1, 0); } }
    public override void EnterNestedPrompt() { throw new NotSupportedException(); }
    public override void ExitNestedPrompt() { throw new NotSupportedException(); }
    public override void NotifyBeginApplication() { }
    public override void NotifyEndApplication() { }
    public override void SetShouldExit(int exitCode) { }
    private sealed class PromptUI : PSHostUserInterface {
        private readonly Queue<string> _answers;
        public int SecurePrompts;
        public readonly StringBuilder Text = new StringBuilder();
        public PromptUI(string[] answers) { _answers = new Queue<string>(answers ?? new string[0]); }
        public override PSHostRawUserInterface RawUI { get { return null; } }
        public override SecureString ReadLineAsSecureString() {
            SecurePrompts++;
            if (_answers.Count == 0) throw new PSInvalidOperationException("PowerShell is in NonInteractive mode. Read and Prompt functionality is not available.");
            var secure = new SecureString();
            foreach (var c in _answers.Dequeue()) secure.AppendChar(c);
            return secure;
        }
        public override string ReadLine() { throw new PSInvalidOperationException("plain-text reads are not expected"); }
        public override Dictionary<string, PSObject> Prompt(string caption, string message, Collection<FieldDescription> descriptions) { throw new NotSupportedException(); }
        public override int PromptForChoice(string caption, string message, Collection<ChoiceDescription> choices, int defaultChoice) { throw new NotSupportedException(); }
        public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName) { throw new NotSupportedException(); }
        public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName, PSCredentialTypes allowedCredentialTypes, PSCredentialUIOptions options) { throw new NotSupportedException(); }
        private void Add(string value) { lock (Text) Text.Append(value); }
        public override void Write(string value) { Add(value); }
        public override void Write(ConsoleColor foregroundColor, ConsoleColor backgroundColor, string value) { Add(value); }
        public override void WriteLine(string value) { Add(value + "\n"); }
        public override void WriteErrorLine(string value) { Add(value + "\n"); }
        public override void WriteDebugLine(string message) { Add(message + "\n"); }
        public override void WriteProgress(long sourceId, ProgressRecord record) { }
        public override void WriteVerboseLine(string message) { Add(message + "\n"); }
        public override void WriteWarningLine(string message) { Add(message + "\n"); }
    }
}
}
'@
    }
    [IExecTests.PromptHost]::new([string[]]$Answers)
}

# Runs $Script in a new runspace of the current pwsh whose host is $PromptHost (the chosen SecretManagement and the
# built module are importable there), with $Arguments as named parameters. Returns the output, then the error records.
function Invoke-WithTestHost {
    param([Parameter(Mandatory)] $PromptHost, [Parameter(Mandatory)] [string] $Script, [hashtable] $Arguments = @{})
    $runspace = [runspacefactory]::CreateRunspace($PromptHost, [initialsessionstate]::CreateDefault2())
    $runspace.Open()
    try {
        $powershell = [powershell]::Create()
        $powershell.Runspace = $runspace
        [void]$powershell.AddScript($Script)
        foreach ($key in $Arguments.Keys) { [void]$powershell.AddParameter($key, $Arguments[$key]) }
        $output = @($powershell.Invoke())
        [pscustomobject]@{ Output = $output; Errors = @($powershell.Streams.Error) }
    }
    finally {
        $runspace.Dispose()
    }
}
