# Runs the Layercake build from PowerShell 7 (Windows, Linux, macOS), as build.sh does:
#   pwsh ./build.ps1 [--target=NAME] [--pipeline=FILE] [...]; pwsh ./build.ps1 --help lists the tasks.
# The arguments go to the build unchanged, so no param() block: PowerShell would take --target=... apart.
$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest
Set-Location -LiteralPath $PSScriptRoot

# The SDK feature band global.json pins: 10.0.400 -> 10.0.4xx.
$version = (Get-Content -Raw -LiteralPath global.json | ConvertFrom-Json).sdk.version
if ($version -notmatch '^(\d+\.\d+\.\d)') {
    [Console]::Error.WriteLine("error: global.json has no sdk.version of the form MAJOR.MINOR.FEATURE (found '$version').")
    exit 1
}
$required = $Matches[1]
if (-not (Get-Command dotnet -ErrorAction SilentlyContinue)) {
    [Console]::Error.WriteLine("error: the .NET SDK is not installed; Layercake needs SDK ${required}xx (see global.json).")
    exit 1
}
$sdks = @(dotnet --list-sdks | ForEach-Object { ($_ -split ' ')[0] })
if (-not ($sdks | Where-Object { $_ -match "^$([regex]::Escape($required))\d\d$" })) {
    [Console]::Error.WriteLine("error: Layercake needs the .NET SDK ${required}xx (see global.json); installed: $($sdks -join ' ')")
    exit 1
}

# Targets that need a Docker engine get one started where this machine allows; the script decides from these
# arguments and installs an engine only on request (LAYERCAKE_INSTALL_DOCKER=1; see scripts/ensure-docker.sh).
# On Windows (no bash) Docker Desktop is started by hand; the Docker tasks say so when no engine answers.
# (OSVersion rather than $IsWindows, which Windows PowerShell 5.1 does not define.)
$onWindows = [Environment]::OSVersion.Platform -eq [PlatformID]::Win32NT
if (-not $onWindows -and (Get-Command bash -ErrorAction SilentlyContinue)) {
    & bash scripts/ensure-docker.sh @args
    if ($LASTEXITCODE -ne 0) { exit 1 }
}

$env:DOTNET_CLI_TELEMETRY_OPTOUT = '1'
$env:DOTNET_NOLOGO = '1'
$env:DOTNET_SKIP_FIRST_TIME_EXPERIENCE = '1'
# The build's own compile is quiet unless it fails.
$output = & dotnet build build/Layercake.Build.csproj --configuration Release --nologo -v quiet 2>&1
if ($LASTEXITCODE -ne 0) {
    [Console]::Error.WriteLine(($output | Out-String))
    exit 1
}
& dotnet run --project build/Layercake.Build.csproj --configuration Release --no-build -- @args
exit $LASTEXITCODE
