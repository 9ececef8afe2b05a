#!/usr/bin/env bash
# Scoring benchmark: Score end to end (read, the package's preprocessing, ONNX Runtime, write) against the same rows
# held in memory and scored by in-process ONNX Runtime on every core (preprocessing included, no reading or writing).
# Two tables: penguins-shaped rows drawn from data/penguins.csv (the model of pipelines/penguins.yaml), and the
# flights-shaped table of bench/scale (a model trained on a 100,000-row draw of it). Per size: Parquet -> Parquet,
# Parquet -> CSV, CSV -> CSV and Parquet -> JSON Lines, then ONNX Runtime alone; each measurement runs in its own
# process, so peak memory (the process's peak working set) is that run's alone.
# Goals: penguins Parquet -> Parquet >= 1,000,000 rows/s; flights 3M rows <= 5 s and <= 1 GB peak.
#   bench/scoring/run.sh [ROWS ...]      (default: 1000000 3000000)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."

sizes=("$@")
[ ${#sizes[@]} -eq 0 ] && sizes=(1000000 3000000)
dotnet build bench/scoring/ScoringBench -c Release -v q -nologo >/dev/null
dotnet build bench/scale/ScaleBench -c Release -v q -nologo >/dev/null
bench="dotnet bench/scoring/ScoringBench/bin/Release/net10.0/ScoringBench.dll"
scale="dotnet bench/scale/ScaleBench/bin/Release/net10.0/ScaleBench.dll"
work="${TMPDIR:-/tmp}/layercake-bench-scoring"
rm -rf "$work"
mkdir -p "$work"

echo "Training the models (not timed): pipelines/penguins.yaml, and flights on a 100,000-row draw"
$bench package --yaml=pipelines/penguins.yaml --dir="$work"
$scale generate --rows=100000 --out="$work/flights-train" >/dev/null
$bench package --yaml="$work/flights-train/flights-csv.yaml" --dir="$work"

table() {
  echo
  echo "| run | formats | rows | seconds | rows/s | peak GB |"
  echo "| --- | --- | ---: | ---: | ---: | ---: |"
}

for rows in "${sizes[@]}"; do
  dir="$work/$rows"
  $bench penguins --rows="$rows" --out="$dir/penguins"
  $scale generate --rows="$rows" --out="$dir/flights" >/dev/null
  for kind in penguins flights; do
    model=$([ "$kind" = penguins ] && echo penguins || echo flights-csv)
    in="$dir/$kind/$kind"
    [ "$kind" = flights ] && in="$dir/flights/flights"
    echo
    echo "## $kind, $rows rows"
    table
    $bench score --dir="$work" --model="$model" --input="$in.parquet" --output="$dir/out-$kind.parquet"
    $bench score --dir="$work" --model="$model" --input="$in.parquet" --output="$dir/out-$kind.csv"
    # Every row read from Parquet keeps its own values: the CSV output's input columns are the CSV input's.
    cols=$(head -1 "$in.csv" | tr ',' '\n' | wc -l)
    if ! cut -d, -f1-"$cols" "$dir/out-$kind.csv" | cmp -s - "$in.csv"; then
      echo "FAILED: $kind parquet -> csv rows differ from the input (first: line $(cut -d, -f1-"$cols" "$dir/out-$kind.csv" \
        | cmp - "$in.csv" | grep -o 'line [0-9]*'))" >&2
      exit 1
    fi
    $bench score --dir="$work" --model="$model" --input="$in.parquet" --output="$dir/out-$kind.jsonl"
    $bench score --dir="$work" --model="$model" --input="$in.csv" --output="$dir/out-$kind-from-csv.csv"
    $bench ort --dir="$work" --model="$model" --input="$in.parquet"
    rm -f "$dir"/out-*
  done
  rm -rf "$dir"
done
rm -rf "$work"
