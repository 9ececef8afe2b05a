#!/usr/bin/env bash
# Builds every benchmark project (they are not in Layercake.sln, so the test run does not compile them): .ci/run calls
# this so a change to the library that breaks a benchmark fails CI instead of the next person who measures.
#   bench/build.sh
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
status=0
for project in bench/*/*/*.csproj; do
  if ! out=$(dotnet build "$project" -c Release -v q -nologo 2>&1); then
    echo "error: $project does not build:" >&2
    echo "$out" | grep -E "error" | sort -u >&2
    status=1
  fi
done
[ "$status" = 0 ] && echo "bench/build.sh: $(ls bench/*/*/*.csproj | wc -l) benchmark projects build"
exit "$status"
