#!/usr/bin/env bash
# Scale benchmark: a flight-delay-shaped regression table (distance, hour, and two categoricals of ~300 airports,
# 5 columns) at 1M and 3M rows, as CSV and as Parquet. Prints per size the read time of each format, then for the
# Parquet source: Prepare (read + validate + clean; also alone for each format), one LightGBM fit on all rows, the whole run from Prepare to a
# registered package (sdca and lightgbm, 3 folds), the ratio of the whole to one fit, and peak memory. Each
# measurement runs in its own process. Goals at 3M: Prepare <= 10 s, peak <= 2 GB, whole <= 6 x one fit, Parquet
# read >= 3 x faster than CSV.
#   [CV_SAMPLE=N] bench/scale/run.sh [ROWS ...]      (default: 1000000 3000000; CV_SAMPLE adds cv_sample: N)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."

sizes=("$@")
[ ${#sizes[@]} -eq 0 ] && sizes=(1000000 3000000)
dotnet build bench/scale/ScaleBench -c Release -v q -nologo >/dev/null
bench="dotnet bench/scale/ScaleBench/bin/Release/net10.0/ScaleBench.dll"
work="${TMPDIR:-/tmp}/layercake-bench-scale"
for rows in "${sizes[@]}"; do
  dir="$work/$rows"
  rm -rf "$dir"
  $bench generate --rows="$rows" --out="$dir" ${CV_SAMPLE:+--cv-sample="$CV_SAMPLE"}
  echo
  echo "## $rows rows: reading the table"
  echo
  echo "| format | rows | read s | peak GB |"
  echo "| --- | ---: | ---: | ---: |"
  $bench read --dir="$dir" --format=csv
  $bench read --dir="$dir" --format=parquet
  echo
  echo "## $rows rows: the Prepare stage alone"
  echo
  echo "| format | rows | Prepare s | CPU s (whole process) | held after GB | peak GB |"
  echo "| --- | ---: | ---: | ---: | ---: | ---: |"
  $bench prepare --dir="$dir" --format=csv
  rm -rf "$dir/artifacts"
  $bench prepare --dir="$dir" --format=parquet
  rm -rf "$dir/artifacts"
  echo
  echo "## $rows rows: from the Parquet file to a registered package${CV_SAMPLE:+ (cv_sample: $CV_SAMPLE)}"
  echo
  echo "| source | rows | Prepare s | one fit s | whole s | whole / fit | peak GB | packaged |"
  echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |"
  $bench run --dir="$dir" --format=parquet 2> "$dir.stages"
  echo
  echo "Peak memory after each stage:"
  sed 's/^/  /' "$dir.stages"
done
rm -rf "$work"
