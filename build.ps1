# Runs the Layercake build on Windows or PowerShell: ./build.ps1 --target=NAME [...]
$ErrorActionPreference = 'Stop'
Set-Location $PSScriptRoot

# The SDK feature band global.json pins: 10.0.400 -> 10.0.4xx.
$parts = (Get-Content global.json | ConvertFrom-Json).sdk.version -split '\.'
$required = "$($parts[0]).$($parts[1]).$($parts[2].Substring(0, 1))"
if (-not (Get-Command dotnet -ErrorAction SilentlyContinue)) {
    Write-Error "The .NET SDK is not installed; Layercake needs SDK ${required}xx (see global.json)."
    exit 1
}
if (-not (dotnet --list-sdks | Select-String -Pattern "^$([regex]::Escape($required))\d\d ")) {
    Write-Error "Layercake needs the .NET SDK ${required}xx (see global.json)."
    exit 1
}

$env:DOTNET_CLI_TELEMETRY_OPTOUT = '1'
$env:DOTNET_NOLOGO = '1'
$output = dotnet build build/Layercake.Build.csproj --configuration Release --nologo -v quiet 2>&1
if ($LASTEXITCODE -ne 0) { $output | Write-Host; exit $LASTEXITCODE }
dotnet run --project build/Layercake.Build.csproj --configuration Release --no-build -- @args
exit $LASTEXITCODE
