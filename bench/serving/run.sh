#!/usr/bin/env bash
# Serving benchmark: single-row requests/s and p50/p99 latency for /v2/.../infer and /invocations against
# the model image, and for a bare Kestrel endpoint returning a constant of the same size (the HTTP limit of
# this machine), all in FROM scratch NativeAOT containers on the host network. Also prints the image size and
# the time from `docker run` to the first HTTP 200, next to a trivial static-binary container's.
# Next to them, the peer a .NET team would write instead (bench/serving/PredictionEnginePeer: ASP.NET with a pool of
# ML.NET PredictionEngines trained on the same CSV, JIT, on the host), all given the same single-row MLflow body in
# the same run at each connection count, with every ratio; then batch scoring (1,000 rows a request) against
# in-process ONNX Runtime's rows/s on the same model.
#   bench/serving/run.sh [IMAGE] [--duration=10] [--connections=1,16,64]
# Goals (issue 12): single-row throughput >= 1.0x the peer and >= 0.8x bare Kestrel at 16 and 64 connections,
# batch scoring >= 0.5x in-process ONNX Runtime, image <= 50 MB, first 200 within 1.5x of the trivial container's.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."

image=""
duration=10
connections=1,16,64
for arg in "$@"; do
  case "$arg" in
    --duration=*) duration="${arg#--duration=}" ;;
    --connections=*) connections="${arg#--connections=}" ;;
    *) image="$arg" ;;
  esac
done

scripts/ensure-docker.sh
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
command -v busybox >/dev/null && busybox --help 2>&1 | grep -q httpd || apt-get install -y -qq busybox-static >/dev/null

if [ -z "$image" ]; then
  image=$(docker images --format '{{.Repository}}:{{.Tag}}' 'layercake/penguins' | sort -V | tail -n 1)
  if [ -z "$image" ]; then
    echo "No layercake/penguins image; building one with ./build.sh --target=SmokeTest"
    ./build.sh --target=SmokeTest --verbosity=minimal
    image=$(docker images --format '{{.Repository}}:{{.Tag}}' 'layercake/penguins' | sort -V | tail -n 1)
  fi
fi
model=$(docker inspect --format '{{index .Config.Labels "io.layercake.model"}}' "$image")
version=$(docker inspect --format '{{index .Config.Labels "io.layercake.version"}}' "$image")
work=$(mktemp -d)
peer_pid=""
trap 'docker rm -f lc-bench-model lc-bench-bare lc-bench-static >/dev/null 2>&1 || true; [ -z "$peer_pid" ] || kill "$peer_pid" 2>/dev/null || true; rm -rf "$work"' EXIT

# Baseline images: bare Kestrel (published like the server) and busybox's static httpd.
dotnet publish bench/serving/BareKestrel -c Release -r linux-x64 -o "$work/bare" -v quiet -nologo >/dev/null
mkdir -p "$work/bare-ctx/rootfs/app" "$work/static-ctx/rootfs/bin" "$work/static-ctx/rootfs/www"
cp "$work/bare/BareKestrel" "$work/bare-ctx/rootfs/app/"
for lib in $(ldd "$work/bare/BareKestrel" | grep -o '/[^ ]*'); do
  mkdir -p "$work/bare-ctx/rootfs$(dirname "$lib")" && cp -L "$lib" "$work/bare-ctx/rootfs$lib"
done
printf 'FROM scratch\nCOPY rootfs/ /\nUSER 65532:65532\nENTRYPOINT ["/app/BareKestrel"]\n' > "$work/bare-ctx/Dockerfile"
docker build -q -t layercake-bench/bare "$work/bare-ctx" >/dev/null
cp "$(command -v busybox)" "$work/static-ctx/rootfs/bin/busybox"
echo ok > "$work/static-ctx/rootfs/www/index.html"
printf 'FROM scratch\nCOPY rootfs/ /\nUSER 65532:65532\nENTRYPOINT ["/bin/busybox", "httpd", "-f", "-h", "/www", "-p"]\nCMD ["8080"]\n' > "$work/static-ctx/Dockerfile"
docker build -q -t layercake-bench/static "$work/static-ctx" >/dev/null

# Milliseconds from `docker run` to the first HTTP 200 on the given port and path, median of 5.
# Arguments after the path go to the container's command.
first_200() {
  local name=$1 image=$2 port=$3 path=$4; shift 4
  local times=()
  for _ in 1 2 3 4 5; do
    docker rm -f "$name" >/dev/null 2>&1 || true
    local start end deadline
    start=$(date +%s%N)
    deadline=$(( $(date +%s) + 30 ))
    docker run -d --name "$name" --network host --read-only -e LAYERCAKE_PORT="$port" -e PORT="$port" "$image" "$@" >/dev/null
    until curl -fs -o /dev/null "http://127.0.0.1:$port$path"; do
      [ "$(date +%s)" -lt "$deadline" ] || { echo "error: $image answered no 200 on :$port$path within 30 s" >&2; docker logs "$name" >&2; exit 1; }
      sleep 0.005
    done
    end=$(date +%s%N)
    times+=($(( (end - start) / 1000000 )))
  done
  docker rm -f "$name" >/dev/null
  printf '%s\n' "${times[@]}" | sort -n | sed -n 3p
}

static_ms=$(first_200 lc-bench-static layercake-bench/static 18090 / 18090)
model_ms=$(first_200 lc-bench-model "$image" 18091 /v2/health/ready)

docker run -d --name lc-bench-model --network host --read-only -e LAYERCAKE_PORT=18091 -e LAYERCAKE_LOG_LEVEL=Warning "$image" >/dev/null
docker run -d --name lc-bench-bare --network host --read-only -e PORT=18092 layercake-bench/bare >/dev/null
dotnet build bench/serving/PredictionEnginePeer -c Release -v q -nologo >/dev/null
dotnet build bench/serving/ServingProfile -c Release -v q -nologo >/dev/null
PORT=18093 DATA=data/penguins.csv dotnet bench/serving/PredictionEnginePeer/bin/Release/net10.0/PredictionEnginePeer.dll >"$work/peer.log" 2>&1 &
peer_pid=$!
until curl -fs -o /dev/null http://127.0.0.1:18091/v2/health/ready && curl -fs -o /dev/null http://127.0.0.1:18092/ && curl -fs -o /dev/null http://127.0.0.1:18093/; do
  kill -0 "$peer_pid" 2>/dev/null || { cat "$work/peer.log" >&2; exit 1; }
  sleep 0.1
done

# One row in both protocols: the package's first sample when the registry has it (the image carries no training
# rows), otherwise a penguin. The batch body is 1,000 rows cycled from the samples.
samples="models/$model/$version/samples.json"
python3 - "$work" "$samples" <<'PY'
import json, os, sys
work, samples = sys.argv[1], sys.argv[2]
if os.path.exists(samples):
    rows = [r["inputs"] for r in json.load(open(samples))["rows"]]
else:
    rows = [{"Island": "Torgersen", "Beak Length (mm)": 39.1, "Beak Depth (mm)": 18.7, "Flipper Length (mm)": 181, "Body Mass (g)": 3750, "Sex": "MALE"}]
json.dump({"dataframe_records": [rows[0]]}, open(f"{work}/mlflow.json", "w"))
json.dump({"dataframe_records": [rows[i % len(rows)] for i in range(1000)]}, open(f"{work}/batch.json", "w"))
json.dump({"inputs": [{"name": k, "shape": [1], "datatype": "BYTES" if isinstance(v, str) else "FP32", "data": [v]} for k, v in rows[0].items()]}, open(f"{work}/oip.json", "w"))
PY
# A sample value that is null has no type of its own; the server's metadata says what each input takes.
curl -fs "http://127.0.0.1:18091/v2/models/$model" > "$work/metadata.json"
python3 - "$work" <<'PY'
import json, sys
work = sys.argv[1]
types = {i["name"]: i["datatype"] for i in json.load(open(f"{work}/metadata.json"))["inputs"]}
body = json.load(open(f"{work}/oip.json"))
for i in body["inputs"]: i["datatype"] = types[i["name"]]
json.dump(body, open(f"{work}/oip.json", "w"))
PY

run_wrk() { # url body-file connections -> "rps p50 p99 non-2xx"
  local out rps p50 p99 errors
  out=$(BODY_FILE=$2 wrk -t"$(( $3 < 2 ? $3 : 2 ))" -c"$3" -d"${duration}s" --latency -s bench/serving/post.lua "$1")
  rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
  p50=$(echo "$out" | awk '$1=="50%" {print $2}')
  p99=$(echo "$out" | awk '$1=="99%" {print $2}')
  errors=$(echo "$out" | awk '/Non-2xx/ {print $NF}')
  echo "$rps $p50 $p99 ${errors:-0}"
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN{printf "%.2fx", a/b}'; }
row() { printf '| %-36s | %11s | %10s | %8s | %8s | %7s | %7s |\n' "$@"; }

echo "warming up..."
for url in http://127.0.0.1:18091/invocations http://127.0.0.1:18092/ http://127.0.0.1:18093/invocations; do
  BODY_FILE="$work/mlflow.json" wrk -t2 -c16 -d3s -s bench/serving/post.lua "$url" >/dev/null
done

echo
echo "Serving benchmark: $image, single-row requests, ${duration}s each, wrk with 2 threads (1 at one connection), $(nproc) cores shared by servers and wrk"
IFS=, read -ra connection_counts <<< "$connections"
for c in "${connection_counts[@]}"; do
  read -r bare_rps bare_p50 bare_p99 bare_err < <(run_wrk http://127.0.0.1:18092/ "$work/mlflow.json" "$c")
  read -r peer_rps peer_p50 peer_p99 peer_err < <(run_wrk http://127.0.0.1:18093/invocations "$work/mlflow.json" "$c")
  read -r ml_rps ml_p50 ml_p99 ml_err < <(run_wrk http://127.0.0.1:18091/invocations "$work/mlflow.json" "$c")
  read -r oip_rps oip_p50 oip_p99 oip_err < <(run_wrk "http://127.0.0.1:18091/v2/models/$model/versions/$version/infer" "$work/oip.json" "$c")
  echo
  echo "$c connection(s):"
  row endpoint "requests/s" p50 p99 non-2xx "vs peer" "vs bare"
  row ------------------------------------ ----------- ---------- -------- -------- ------- -------
  row "bare Kestrel (constant JSON)" "$bare_rps" "$bare_p50" "$bare_p99" "$bare_err" "$(ratio "$bare_rps" "$peer_rps")" "1.00x"
  row "ML.NET PredictionEngine pool (JIT)" "$peer_rps" "$peer_p50" "$peer_p99" "$peer_err" "1.00x" "$(ratio "$peer_rps" "$bare_rps")"
  row "layercake mlflow /invocations" "$ml_rps" "$ml_p50" "$ml_p99" "$ml_err" "$(ratio "$ml_rps" "$peer_rps")" "$(ratio "$ml_rps" "$bare_rps")"
  row "layercake open inference /infer" "$oip_rps" "$oip_p50" "$oip_p99" "$oip_err" "$(ratio "$oip_rps" "$peer_rps")" "$(ratio "$oip_rps" "$bare_rps")"
done

# Batch scoring: 1,000 rows a request, two connections, against in-process ONNX Runtime on the image's own model.
read -r batch_rps _ _ batch_err < <(run_wrk http://127.0.0.1:18091/invocations "$work/batch.json" 2)
container=$(docker create "$image")
docker cp -q "$container:/model" "$work/model"
docker rm -f "$container" >/dev/null
docker rm -f lc-bench-model lc-bench-bare >/dev/null
kill "$peer_pid" 2>/dev/null || true
peer_pid=""
ort_rows=$(dotnet bench/serving/ServingProfile/bin/Release/net10.0/ServingProfile.dll --model="$work/model" --ort-batch="$work/batch.json" --seconds="$duration")
batch_rows=$(awk -v r="$batch_rps" 'BEGIN{printf "%.0f", r*1000}')
echo
echo "batch scoring, 1,000 rows a request: server ${batch_rows} rows/s (non-2xx ${batch_err}), in-process ONNX Runtime ${ort_rows} rows/s ($(ratio "$batch_rows" "$ort_rows"); goal >= 0.5x)"

size_mb=$(docker image inspect --format '{{.Size}}' "$image" | awk '{printf "%.1f", $1/1e6}')
static_size_mb=$(docker image inspect --format '{{.Size}}' layercake-bench/static | awk '{printf "%.1f", $1/1e6}')
echo "image size: ${size_mb} MB (goal <= 50 MB; busybox static image ${static_size_mb} MB)"
echo "docker run to first 200: model ${model_ms} ms, trivial static-binary container ${static_ms} ms ($(ratio "$model_ms" "$static_ms"); goal <= 1.5x)"
