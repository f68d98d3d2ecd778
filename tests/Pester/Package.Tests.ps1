# The module installs like any other: build.ps1 -Package packs out/IExecSecrets into a .nupkg, a local file repository
# serves it to Install-PSResource under a fresh HOME, and a new pwsh with the default PSModulePath imports it by name.

BeforeAll {
    . $PSScriptRoot/TestHelpers.ps1
    $script:manifest = Import-PowerShellDataFile (Get-TestManifestPath)
    $script:repository = New-TestDirectory -Prefix 'iexec-psrepo'
    # -NoBuild: pack what the Release build laid out (the suite runs after it); into a temp folder, not out/packages.
    # README: ./build.ps1 -Package
    $script:nupkg = & (Join-Path (Get-TestRepoRoot) 'build.ps1') -Package -NoBuild -PackageDirectory $repository
}

AfterAll { Remove-TestDirectory $repository }

Describe 'build.ps1 -Package' {
    It 'writes IExecSecrets.VERSION.nupkg, VERSION from the manifest' {
        $nupkg.Name | Should -Be "IExecSecrets.$($manifest.ModuleVersion).nupkg"
        $nupkg.Length | Should -BeGreaterThan 0
    }

    It 'carries the manifest metadata and the PowerShell module tags in its nuspec' {
        Add-Type -AssemblyName System.IO.Compression.FileSystem
        $zip = [System.IO.Compression.ZipFile]::OpenRead($nupkg.FullName)
        try {
            $reader = [System.IO.StreamReader]::new($zip.GetEntry('IExecSecrets.nuspec').Open())
            [xml] $nuspec = $reader.ReadToEnd()
            $reader.Dispose()
            $entries = @($zip.Entries.FullName)
        }
        finally { $zip.Dispose() }
        $metadata = $nuspec.package.metadata
        $metadata.id | Should -Be 'IExecSecrets'
        $metadata.version | Should -Be $manifest.ModuleVersion
        $metadata.authors | Should -Be $manifest.Author
        $metadata.description | Should -Be $manifest.Description
        $metadata.projectUrl | Should -Be $manifest.PrivateData.PSData.ProjectUri
        $metadata.licenseUrl | Should -Be $manifest.PrivateData.PSData.LicenseUri
        $metadata.releaseNotes | Should -Not -BeNullOrEmpty
        $tags = $metadata.tags -split ' '
        $tags | Should -Contain 'PSModule'
        $tags | Should -Contain 'PSIncludes_Cmdlet'
        foreach ($cmdlet in $manifest.CmdletsToExport) { $tags | Should -Contain "PSCmdlet_$cmdlet" }
        $entries | Should -Contain 'IExecSecrets.psd1'
        $entries | Should -Contain 'IExecSecrets.dll'
        $entries | Should -Contain 'LICENSE'
        $entries | Should -Contain 'en-US/IExecSecrets.dll-Help.xml'
    }
}

Describe 'Install-PSResource from a local repository' {
    It 'installs for the current user under a fresh HOME, imports by name from the default PSModulePath and runs a command' {
        $home_ = New-TestHome
        try {
            # The README's lines, with the temp folder for ./out/packages:
            # README: Register-PSResourceRepository -Name Local -Uri ./out/packages -Trusted
            # README: Install-PSResource IExecSecrets -Repository Local -Scope CurrentUser
            # README: Import-Module IExecSecrets
            $result = Invoke-TestPwsh -HomeDirectory $home_ -ModulePath $null -ArgumentList @($repository) -Script @'
$ErrorActionPreference = 'Stop'
Register-PSResourceRepository -Name IExecLocal -Uri $args[0] -Trusted
Find-PSResource -Name IExecSecrets -Repository IExecLocal | ForEach-Object { "found $($_.Name) $($_.Version)" }
Install-PSResource -Name IExecSecrets -Repository IExecLocal -Scope CurrentUser -TrustRepository -Quiet
Import-Module IExecSecrets
$module = Get-Module IExecSecrets
"base $($module.ModuleBase)"
"chain $((Get-IExecChain bellecour).ChainId)"
"installed $((Get-InstalledPSResource -Name IExecSecrets).Version)"
'@
            $result.ExitCode | Should -Be 0 -Because ($result.Error + ($result.Output -join "`n"))
            $result.Output | Should -Contain "found IExecSecrets $($manifest.ModuleVersion)"
            $base = ($result.Output | Where-Object { $_ -like 'base *' }) -replace '^base ', ''
            $base | Should -BeLike "$home_/*"
            $result.Output | Should -Contain 'chain 134'
            $result.Output | Should -Contain "installed $($manifest.ModuleVersion)"
        }
        finally { Remove-TestDirectory $home_ }
    }
}
