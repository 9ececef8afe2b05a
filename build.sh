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

# Targets past Package need a Docker engine; start one where this machine allows (see scripts/ensure-docker.sh).
target=Default
needs_docker=yes
previous=
for arg in "$@"; do
  case "$arg" in
    --target=*) target="${arg#--target=}" ;;
    --tree|--description|--descriptions|--dryrun|--noop|--whatif|--help) needs_docker=no ;;
  esac
  [ "$previous" = "--target" ] && target="$arg"
  previous="$arg"
done
case "$(echo "$target" | tr '[:upper:]' '[:lower:]')" in
  clean|prepare|train|evaluate|package) needs_docker=no ;;
esac
if [ "$needs_docker" = yes ]; then
  scripts/ensure-docker.sh || exit 1
fi

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
# The build's own compile is quiet unless it fails.
if ! output=$(dotnet build build/Layercake.Build.csproj --configuration Release --nologo -v quiet 2>&1); then
  echo "$output" >&2
  exit 1
fi
exec dotnet run --project build/Layercake.Build.csproj --configuration Release --no-build -- "$@"
