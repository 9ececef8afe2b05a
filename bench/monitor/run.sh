#!/usr/bin/env bash
# Monitoring benchmark: writes synthetic prediction logs of 100,000 and 1,000,000 penguin predictions in the
# server's format, then runs the Monitor analysis (drift, quality, daily windows) over each in its own process and
# prints rows per second and peak memory. Memory should not grow with the log (fixed bins, counts and reservoirs);
# the goal is at least 1M rows/s.
# Then the incremental read: the 1,000,000-row log as a volume streamed like the engine's archive, 10,000 new rows,
# and the time of Monitor --since=last (copy only what changed, analyse only new rows) against a full fetch and read.
#   bench/monitor/run.sh [ROWS ...]      (default: 100000 1000000)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."

sizes=("$@")
[ ${#sizes[@]} -eq 0 ] && sizes=(100000 1000000)
dotnet build bench/monitor/MonitorBench -c Release -v q -nologo >/dev/null
bench="dotnet bench/monitor/MonitorBench/bin/Release/net10.0/MonitorBench.dll"
work="${TMPDIR:-/tmp}/layercake-bench-monitor"
for rows in "${sizes[@]}"; do
  dir="$work/$rows"
  rm -rf "$dir"
  $bench generate --rows="$rows" --out="$dir" --repository="$PWD"
  $bench analyze --dir="$dir"
  $bench analyze --dir="$dir" --cbpe
  if [ "$rows" = "${sizes[-1]}" ]; then $bench incremental --dir="$dir" --new=10000; fi
done
rm -rf "$work"
