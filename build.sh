#!/usr/bin/env bash
# Runs the Layercake build: ./build.sh [--target=NAME] [--pipeline=FILE] [...]; ./build.sh --help lists the tasks.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"

# The SDK feature band global.json pins: 10.0.400 → 10.0.4xx.
required=$(sed -n 's/.*"version": *"\([0-9]*\.[0-9]*\.[0-9]\).*/\1/p' global.json)
if ! command -v dotnet >/dev/null 2>&1; then
  echo "error: the .NET SDK is not installed; Layercake needs SDK ${required}xx (see global.json)." >&2
  exit 1
fi
if ! dotnet --list-sdks | grep -q "^${required}[0-9][0-9] "; then
  echo "error: Layercake needs the .NET SDK ${required}xx (see global.json); installed: $(dotnet --list-sdks | cut -d' ' -f1 | tr '\n' ' ')" >&2
  exit 1
fi

# Targets that need a Docker engine get one started where this machine allows; the script decides from these
# arguments and installs an engine only on request (LAYERCAKE_INSTALL_DOCKER=1; see scripts/ensure-docker.sh).
# Being root in a terminal is not taken as that request: installing packages and running a daemon change the whole
# machine (and a container's shell is root too), so README's fresh-machine commands set the variable instead, and
# the warning printed without it names the variable, so opting in is one re-run.
scripts/ensure-docker.sh "$@" || exit 1

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
# The build's own compile is quiet unless it fails.
if ! output=$(dotnet build build/Layercake.Build.csproj --configuration Release --nologo -v quiet 2>&1); then
  echo "$output" >&2
  exit 1
fi
exec dotnet run --project build/Layercake.Build.csproj --configuration Release --no-build -- "$@"
