#!/usr/bin/env bash
# Where a request's time goes (issue 12, item 2): times each phase of the predict path in process (one row, then
# 1,000 rows a request as MLflow JSON and as an Open Inference binary tensor body), then
# the server's CPU per request under wrk for health, MLflow and Open Inference. The model comes out of the image.
#   bench/serving/profile.sh [IMAGE] [--iterations=20000] [--seconds=5] [--connections=16]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."

image=""
extra=()
for arg in "$@"; do
  case "$arg" in
    --*) extra+=("$arg") ;;
    *) image="$arg" ;;
  esac
done
[ -n "$image" ] || image=$(docker images --format '{{.Repository}}:{{.Tag}}' 'layercake/penguins' | sort -V | tail -n 1)
[ -n "$image" ] || { echo "No layercake/penguins image; build one with ./build.sh --target=BuildImage" >&2; exit 1; }
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }

work=$(mktemp -d)
container=$(docker create "$image")
trap 'docker rm -f "$container" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
docker cp -q "$container:/model" "$work/model"

# One penguin in both protocols, as bench/serving/run.sh sends it.
cat > "$work/mlflow.json" <<'JSON'
{"dataframe_records":[{"Island":"Torgersen","Beak Length (mm)":39.1,"Beak Depth (mm)":18.7,"Flipper Length (mm)":181,"Body Mass (g)":3750,"Sex":"MALE"}]}
JSON
cat > "$work/oip.json" <<'JSON'
{"inputs":[{"name":"Island","shape":[1],"datatype":"BYTES","data":["Torgersen"]},{"name":"Beak Length (mm)","shape":[1],"datatype":"FP32","data":[39.1]},{"name":"Beak Depth (mm)","shape":[1],"datatype":"FP32","data":[18.7]},{"name":"Flipper Length (mm)","shape":[1],"datatype":"FP32","data":[181]},{"name":"Body Mass (g)","shape":[1],"datatype":"FP32","data":[3750]},{"name":"Sex","shape":[1],"datatype":"BYTES","data":["MALE"]}]}
JSON

python3 - "$work" <<'PY'
import json, sys
work = sys.argv[1]
row = json.load(open(f"{work}/mlflow.json"))["dataframe_records"][0]
json.dump({"dataframe_records": [dict(row, **{"Body Mass (g)": 3000 + i % 2000}) for i in range(1000)]}, open(f"{work}/batch.json", "w"))
PY

# The same rows as an Open Inference binary tensor body, with the datatypes the package's signature gives.
python3 -c 'import json, sys; m = json.load(open(sys.argv[1])); json.dump({"inputs": [{"name": i["column"], "datatype": i["data_type"]} for i in m["signature"]["inputs"]]}, open(sys.argv[2], "w"))' \
  "$work/model/manifest.json" "$work/metadata.json"
batch_json_length=$(python3 bench/serving/binary_body.py "$work/metadata.json" "$work/batch.json" "$work/batch.bin")

dotnet build bench/serving/ServingProfile -c Release -v q -nologo >/dev/null
dotnet bench/serving/ServingProfile/bin/Release/net10.0/ServingProfile.dll --model="$work/model" --mlflow="$work/mlflow.json" --oip="$work/oip.json" --batch="$work/batch.json" \
  --oip-batch="$work/batch.bin" --oip-batch-json-length="$batch_json_length" "${extra[@]}"
