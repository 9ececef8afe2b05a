#!/usr/bin/env bash
# Hyper-parameter search benchmark: for pipelines' penguins data and a generated table (10,000 rows by default),
# each trainer twice on the same folds: with ML.NET's default parameters, and with a 20-trial random search
# scored by nested cross-validation. Runs the real build host (Prepare and Train, forced) and prints, from each
# run's cv.json, the default's cross-validated score, the search's outer (nested) score, its optimistic inner
# best, the seconds the searched candidate took (search, outer fits and all) and what it chose.
#   bench/search/run.sh [ROWS] [TRIALS] [STRATEGY]      (defaults: 10000, 20, random; STRATEGY may be halving)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."

rows="${1:-10000}"
trials="${2:-20}"
strategy="${3:-random}"
work="${TMPDIR:-/tmp}/layercake-bench-search"
rm -rf "$work" && mkdir -p "$work"
cp data/penguins.csv "$work/penguins.csv"

# Eight numeric columns (two pure noise) and one categorical; the class depends on an interaction and a
# threshold the defaults do not all find equally well, plus label noise.
awk -v n="$rows" 'BEGIN {
  srand(7); print "a,b,c,d,e,f,g,h,region,label";
  split("north south east west", regions, " ");
  for (i = 0; i < n; i++) {
    a = rand(); b = rand(); c = rand(); d = rand(); e = rand(); f = rand(); g = rand(); h = rand();
    r = regions[int(rand() * 4) + 1];
    s = a * b + 0.6 * (c > 0.5 ? d : -d) + 0.4 * e * e - 0.3 * f + (r == "north" ? 0.25 : 0) + 0.35 * (rand() - 0.5);
    label = s < 0.05 ? "low" : (s < 0.45 ? "mid" : "high");
    printf "%.5f,%.5f,%.5f,%.5f,%.5f,%.5f,%.5f,%.5f,%s,%s\n", a, b, c, d, e, f, g, h, r, label;
  }
}' > "$work/generated.csv"

# The same candidates for both tables: each trainer with defaults, and the same trainer searched.
trainers() {
  cat <<YAML
trainers:
  - { name: sdca, type: sdca }
  - name: sdca-search
    type: sdca
    search:
      l2_regularization: { min: 0.000001, max: 1, log: true }
      l1_regularization: { min: 0.000001, max: 1, log: true }
  - { name: lightgbm, type: lightgbm }
  - name: lightgbm-search
    type: lightgbm
    search:
      number_of_leaves: { min: 4, max: 64, log: true }
      learning_rate: { min: 0.01, max: 0.3, log: true }
      minimum_example_count_per_leaf: { min: 2, max: 50 }
      number_of_iterations: [50, 100, 200]
  - { name: fasttree, type: fasttree }
  - name: fasttree-search
    type: fasttree
    search:
      number_of_leaves: { min: 4, max: 64, log: true }
      learning_rate: { min: 0.02, max: 0.4, log: true }
      minimum_example_count_per_leaf: { min: 2, max: 50 }
      number_of_trees: [50, 100, 200]
search:
  strategy: $strategy
  trials: $trials
folds: 5
seed: 42
primary_metric: macro_accuracy
gates:
  baseline: off
YAML
}

{ printf 'name: penguins\ndata: penguins.csv\nlabel: Species\ntask: multiclass\nfeatures:\n  Island: categorical\n  Sex: categorical\n'; trainers; } > "$work/penguins.yaml"
{ printf 'name: generated\ndata: generated.csv\nlabel: label\ntask: multiclass\nfeatures:\n  region: categorical\n'; trainers; } > "$work/generated.yaml"

echo "Strategy: $strategy, $trials trials per searched trainer."
echo "| data | rows | trainer | default macro_accuracy | searched (outer, nested) | inner best | default s | searched s | trials | chosen |"
echo "| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |"
for name in penguins generated; do
  ./build.sh --target=Train --force --pipeline="$work/$name.yaml" --artifacts="$work/artifacts" --verbosity=quiet >"$work/$name.log" 2>&1 \
    || { echo "error: the $name run failed; see $work/$name.log" >&2; exit 1; }
  python3 - "$work/artifacts/$name/train/cv.json" "$name" <<'PY'
import json, sys
cv = json.load(open(sys.argv[1]))
by = {c["name"]: c for c in cv["candidates"]}
metric = cv["primary_metric"]
rows = sum(f["test_rows"] for f in by["sdca"]["folds"])
for trainer in ["sdca", "lightgbm", "fasttree"]:
    default, searched = by[trainer], by[trainer + "-search"]
    s = searched["search"]
    chosen = ", ".join(f"{k}={v:.4g}" for k, v in searched["parameters"].items())
    print(f"| {sys.argv[2]} | {rows} | {trainer} | {default['metrics'][metric]['mean']:.4f} ± {default['metrics'][metric]['std_dev']:.4f} "
          f"| {searched['metrics'][metric]['mean']:.4f} ± {searched['metrics'][metric]['std_dev']:.4f} | {s['inner_best']:.4f} "
          f"| {default['seconds']:.1f} | {searched['seconds']:.1f} | {len(set(t['trial'] for t in s['trials']))}/{s['planned']} | {chosen} |")
PY
done
rm -rf "$work"
