# The per-file mutation scores of eng/mutation.sh, from Stryker's JSON reports (mutation-testing-elements schema):
# score = (killed + timed out) / (killed + timed out + survived + no coverage); compile errors and ignored mutants are
# "not run". Writes <Folder>/scores.md (a markdown table) and prints it; -Survivors lists each surviving mutant.
param(
    [Parameter(Mandatory)] [string] $Folder,
    [switch] $Survivors
)
$ErrorActionPreference = 'Stop'
$rows = foreach ($report in Get-ChildItem -Path $Folder -Recurse -Filter mutation-report.json) {
    $json = Get-Content -Raw $report.FullName | ConvertFrom-Json
    foreach ($file in $json.files.PSObject.Properties) {
        $count = @{}
        foreach ($mutant in $file.Value.mutants) { $count[$mutant.status] = 1 + [int]$count[$mutant.status] }
        $detected = [int]$count.Killed + [int]$count.Timeout
        $missed = [int]$count.Survived + [int]$count.NoCoverage
        $name = $file.Name -replace '^.*src[\\/]IExecSecrets\.Core[\\/]', ''
        if ($Survivors) {
            foreach ($mutant in $file.Value.mutants | Where-Object status -In 'Survived', 'NoCoverage') {
                "{0}:{1} {2} {3}: {4}" -f $name, $mutant.location.start.line, $mutant.status, $mutant.mutatorName, ($mutant.replacement -replace '\s+', ' ')
            }
            continue
        }
        [pscustomobject]@{
            File = $name; Killed = [int]$count.Killed; Timeout = [int]$count.Timeout; Survived = [int]$count.Survived
            NoCoverage = [int]$count.NoCoverage; NotRun = [int]$count.CompileError + [int]$count.Ignored
            Score = if ($detected + $missed) { [math]::Round(100 * $detected / ($detected + $missed), 1) } else { 100 }
        }
    }
}
if ($Survivors) { return $rows }
$table = @('| file | killed | timed out | survived | no coverage | not run | score |', '| --- | ---: | ---: | ---: | ---: | ---: | ---: |')
$table += $rows | Sort-Object File | ForEach-Object { "| $($_.File) | $($_.Killed) | $($_.Timeout) | $($_.Survived) | $($_.NoCoverage) | $($_.NotRun) | $($_.Score) % |" }
$table | Set-Content -Path (Join-Path $Folder 'scores.md')
$table
