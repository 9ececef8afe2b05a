#!/usr/bin/env bash
# Honest-evaluation benchmark: how much the baseline, the out-of-fold predictions, the per-class figures,
# calibration and permutation importance add to the Train stage. Runs the real build host (Prepare and Train,
# forced) on pipelines/penguins.yaml and on a generated 100,000-row, 3-class table, then prints, from each
# run's cv.json, the whole cross-validation time, the evaluation part of it, and its share (goal: ≤ 15 %).
#   bench/evaluation/run.sh [ROWS]      (default: 100000)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."

rows="${1:-100000}"
work="${TMPDIR:-/tmp}/layercake-bench-evaluation"
rm -rf "$work" && mkdir -p "$work"

# Five numeric columns and one categorical; the class depends on three of them plus noise.
awk -v n="$rows" 'BEGIN {
  srand(42); print "a,b,c,d,e,region,label";
  split("north south east west", regions, " ");
  for (i = 0; i < n; i++) {
    a = rand(); b = rand(); c = rand(); d = rand(); e = rand(); r = regions[int(rand() * 4) + 1];
    s = a + 0.8 * b - 0.6 * c + (r == "north" ? 0.3 : 0) + 0.3 * (rand() - 0.5);
    label = s < 0.35 ? "low" : (s < 0.9 ? "mid" : "high");
    printf "%.5f,%.5f,%.5f,%.5f,%.5f,%s,%s\n", a, b, c, d, e, r, label;
  }
}' > "$work/generated.csv"
cat > "$work/generated.yaml" <<YAML
name: generated
data: generated.csv
label: label
task: multiclass
features:
  region: categorical
trainers: [sdca, lightgbm, fasttree]
folds: 5
seed: 42
primary_metric: macro_accuracy
YAML

printf '%-12s %10s %12s %14s %8s\n' pipeline rows "CV total s" "evaluation s" share
for pipeline in pipelines/penguins.yaml "$work/generated.yaml"; do
  name=$(basename "$pipeline" .yaml)
  ./build.sh --target=Train --force --pipeline="$pipeline" --artifacts="$work/artifacts" --verbosity=quiet >"$work/$name.log" 2>&1 \
    || { echo "error: the $name run failed; see $work/$name.log" >&2; exit 1; }
  python3 - "$work/artifacts/$name/train/cv.json" "$name" <<'PY'
import json, sys
cv = json.load(open(sys.argv[1]))
t = cv["timing"]
rows = sum(f["test_rows"] for f in cv["candidates"][0]["folds"])
evaluation, total = t["evaluation_seconds"], t["total_seconds"]
print(f"{sys.argv[2]:<12} {rows:>10} {total:>12.2f} {evaluation:>14.2f} {evaluation / (total - evaluation):>8.1%}")
PY
done
rm -rf "$work"
