#!/usr/bin/env bash
# Serving benchmark (issues 12 and 28): every server in a FROM scratch container on the host network, given the same
# body in the same run, so every ratio compares like with like:
#   - the model image twice, side by side: the managed scorer (LAYERCAKE_SCORER=managed) and ONNX Runtime
#     (LAYERCAKE_SCORER=onnxruntime; where the image was built without ONNX Runtime's library, because the managed
#     scorer serves it, the same image with the library added), MLflow /invocations and Open Inference /infer each;
#   - the peer a .NET team would write instead (bench/serving/PredictionEnginePeer: ASP.NET with a pool of ML.NET
#     PredictionEngines trained at start on the same CSV, JIT), published self-contained with the host libraries it links;
#   - bare Kestrel answering a constant of a prediction's size (NativeAOT, the HTTP limit of this machine);
#   - busybox's static httpd, the floor for the time from `docker run` to the first HTTP 200.
# Sections: the start (median of 5, and where the model server's start goes, from its own "Ready" log line);
# single-row requests/s, p50 and p99 under wrk (closed loop) at each connection count with every ratio; p50/p99 at half
# of each server's maximum under a fixed-rate, coordinated-omission-corrected load (bench/serving/FixedRateLoad);
# batch scoring (1,000 rows a request, as MLflow JSON and as an Open Inference binary tensor body) against in-process
# ONNX Runtime; then every goal with PASS or MISS. --batch-only runs the batch section alone.
#   bench/serving/run.sh [IMAGE] [--duration=10] [--connections=1,16,64] [--port-base=18090] [--batch-only]
# Goals (issue 28, for the managed scorer): single-row >= 1.0x the peer at 1, 16 and 64 connections (MLflow and Open
# Inference) and >= 0.8x bare Kestrel at 16 and 64; 1,000-row binary Open Inference >= 1.0x in-process ONNX Runtime;
# first 200 <= 1.2x the static floor; image <= 30 MB. Issue 12's p99 <= 2 ms at half the maximum load is kept.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."

image=""
duration=10
connections=1,16,64
port_base=18090
batch_only=0
for arg in "$@"; do
  case "$arg" in
    --batch-only) batch_only=1 ;;
    --duration=*) duration="${arg#--duration=}" ;;
    --connections=*) connections="${arg#--connections=}" ;;
    --port-base=*) port_base="${arg#--port-base=}" ;;
    *) image="$arg" ;;
  esac
done
static_port=$port_base model_port=$((port_base + 1)) bare_port=$((port_base + 2)) peer_port=$((port_base + 3))
ort_port=$((port_base + 4))

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
# Containers are named after this run, so two runs on one engine never touch each other's.
run_id=$$
c_static=lc-bench-static-$run_id c_model=lc-bench-model-$run_id c_bare=lc-bench-bare-$run_id c_peer=lc-bench-peer-$run_id
c_ort=lc-bench-ort-$run_id ort_image=""
trap 'docker rm -f $c_static $c_model $c_bare $c_peer $c_ort >/dev/null 2>&1 || true; [ -z "$ort_image" ] || [ "$ort_image" = "$image" ] || docker rmi "$ort_image" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT

# A FROM scratch image of a published folder at /app, with every host library its ELF files link (ldd) at its own path,
# as Layercake's LinkedLibraries does for the model server.
scratch_image() {
  local tag=$1 published=$2 entry=$3 env=${4:-}
  local ctx="$work/ctx-${tag##*/}"
  mkdir -p "$ctx/rootfs/app" "$ctx/rootfs/tmp"
  cp -r "$published"/. "$ctx/rootfs/app/"
  for elf in $(find "$published" -maxdepth 1 -type f \( -name '*.so' -o -perm -u+x \)); do
    file -b "$elf" | grep -q ELF || continue
    for lib in $(ldd "$elf" 2>/dev/null | grep -o '/[^ ]*' | grep -v "^$published"); do
      mkdir -p "$ctx/rootfs$(dirname "$lib")" && cp -L "$lib" "$ctx/rootfs$lib"
    done
  done
  chmod 1777 "$ctx/rootfs/tmp"
  { echo 'FROM scratch'; echo 'COPY rootfs/ /'; [ -z "$env" ] || echo "ENV $env"; echo 'USER 65532:65532'; echo "ENTRYPOINT [\"/app/$entry\"]"; } > "$ctx/Dockerfile"
  quiet_build "$tag" "$ctx"
}

# docker build, quiet unless it fails (the legacy builder's deprecation notice is not news).
quiet_build() {
  docker build -q -t "$1" "$2" >/dev/null 2>"$work/build.err" || { cat "$work/build.err" >&2; exit 1; }
}

container=$(docker create "$image")
docker cp -q "$container:/model" "$work/model"
docker cp -q "$container:/app" "$work/app"
docker rm -f "$container" >/dev/null
# The ONNX Runtime side: the same image where it carries ONNX Runtime's library, else the image with the library (and
# what only it links) added, so both sides run the same server binary on the same model.
if ls "$work/app"/libonnxruntime*.so >/dev/null 2>&1; then
  ort_image=$image
else
  ort_lib=$(find "${NUGET_PACKAGES:-$HOME/.nuget/packages}/microsoft.ml.onnxruntime" -path '*runtimes/linux-x64/native/libonnxruntime.so' 2>/dev/null | sort -V | tail -n 1)
  [ -n "$ort_lib" ] || { echo "error: no libonnxruntime.so for linux-x64 in the NuGet cache; run dotnet restore first" >&2; exit 1; }
  mkdir -p "$work/ort-ctx/rootfs/app"
  cp -L "$ort_lib" "$work/ort-ctx/rootfs/app/libonnxruntime.so"
  for lib in $(ldd "$ort_lib" | grep -o '/[^ ]*'); do mkdir -p "$work/ort-ctx/rootfs$(dirname "$lib")" && cp -L "$lib" "$work/ort-ctx/rootfs$lib"; done
  printf 'FROM %s\nCOPY rootfs/ /\n' "$image" > "$work/ort-ctx/Dockerfile"
  ort_image=layercake-bench/ort-$run_id
  quiet_build "$ort_image" "$work/ort-ctx"
fi

if [ "$batch_only" = 0 ]; then
echo "building the comparison images..."
dotnet publish bench/serving/BareKestrel -c Release -r linux-x64 -o "$work/bare" -v quiet -nologo >/dev/null
scratch_image layercake-bench/bare "$work/bare" BareKestrel
dotnet publish bench/serving/PredictionEnginePeer -c Release -r linux-x64 --self-contained -p:InvariantGlobalization=true -o "$work/peer" -v quiet -nologo >/dev/null
cp data/penguins.csv "$work/peer/penguins.csv"
scratch_image layercake-bench/peer "$work/peer" PredictionEnginePeer "DATA=/app/penguins.csv"
mkdir -p "$work/static-ctx/rootfs/bin" "$work/static-ctx/rootfs/www"
cp "$(command -v busybox)" "$work/static-ctx/rootfs/bin/busybox"
echo ok > "$work/static-ctx/rootfs/www/index.html"
printf 'FROM scratch\nCOPY rootfs/ /\nUSER 65532:65532\nENTRYPOINT ["/bin/busybox", "httpd", "-f", "-h", "/www", "-p"]\n' > "$work/static-ctx/Dockerfile"
quiet_build layercake-bench/static "$work/static-ctx"
dotnet build bench/serving/FixedRateLoad -c Release -v q -nologo >/dev/null
fi
dotnet build bench/serving/ServingProfile -c Release -v q -nologo >/dev/null

# Milliseconds from `docker run` to the first HTTP 200 on the given port and path, one line per run (5 runs); for the
# model server also the run's "Ready" log line, in $work/ready-<name>.jsonl. Arguments after the path go to the command.
first_200() {
  local name=$1 image=$2 port=$3 path=$4 scorer=$5; shift 5
  for _ in 1 2 3 4 5; do
    docker rm -f "$name" >/dev/null 2>&1 || true
    local start end deadline
    start=$(date +%s%N)
    deadline=$(( $(date +%s) + 30 ))
    docker run -d --name "$name" --network host --read-only -e LAYERCAKE_PORT="$port" ${scorer:+-e LAYERCAKE_SCORER=$scorer} "$image" "$@" >/dev/null
    until curl -fs -o /dev/null "http://127.0.0.1:$port$path"; do
      [ "$(date +%s)" -lt "$deadline" ] || { echo "error: $image answered no 200 on :$port$path within 30 s" >&2; docker logs "$name" >&2; exit 1; }
      sleep 0.002
    done
    end=$(date +%s%N)
    echo "$start $end" >> "$work/first200-$name"
    docker logs "$name" 2>&1 | grep '"Ready' | sed "s/^/{\"run_start_ns\": $start, \"first_200_ns\": $end, \"log\": /; s/\$/}/" >> "$work/ready-$name.jsonl" || true
  done
  docker rm -f "$name" >/dev/null
  awk '{print int(($2 - $1) / 1000000)}' "$work/first200-$name" | sort -n | sed -n 3p
}

if [ "$batch_only" = 0 ]; then
static_ms=$(first_200 "$c_static" layercake-bench/static "$static_port" / "" "$static_port")
model_ms=$(first_200 "$c_model" "$image" "$model_port" /v2/health/ready managed)
ort_ms=$(first_200 "$c_ort" "$ort_image" "$ort_port" /v2/health/ready onnxruntime)
fi
# Process start, NativeAOT runtime start and exit of the server binary alone (its health probe against a closed port).
exec_ms=$(python3 - "$work/app/Layercake.Serving" <<'PY'
import subprocess, sys, time, os
times = []
for _ in range(21):
    t = time.perf_counter()
    subprocess.run([sys.argv[1], "--healthcheck"], env=dict(os.environ, LAYERCAKE_PORT="1"), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    times.append((time.perf_counter() - t) * 1000)
print(f"{sorted(times)[10]:.1f}")
PY
)

echo
echo "Serving benchmark: $image (managed scorer) and $ort_image (ONNX Runtime), $(nproc) cores shared by servers and load generators, load average $(cut -d' ' -f1-3 /proc/loadavg)"
if [ "$batch_only" = 0 ]; then
echo
echo "Start, docker run to first 200 (median of 5): managed ${model_ms} ms, ONNX Runtime ${ort_ms} ms, busybox static httpd ${static_ms} ms"
python3 - "$work/ready-$c_model.jsonl" "$static_ms" "$exec_ms" <<'PY'
import json, re, sys, statistics
from datetime import datetime
runs = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
if not runs:
    print("(the image logs no Ready line: a server from before the start was timed)"); sys.exit(0)
def ns(stamp):
    whole, _, frac = stamp.replace("Z", "").replace("+00:00", "").partition(".")
    return int(datetime.fromisoformat(whole + "+00:00").timestamp()) * 10**9 + int((frac + "000000000")[:9])
rows = {}
def add(name, ms): rows.setdefault(name, []).append(ms)
for r in runs:
    log, main = r["log"], ns(r["log"]["MainStarted"])
    add("docker run -> server Main (container creation and start, exec, NativeAOT runtime start)", (main - r["run_start_ns"]) / 1e6)
    add("server Main -> listening and ready (the model loads while the web host is built)", log["ReadyMs"])
    for phase, took in re.findall(r"([a-z][a-z ()\-.]+?) ([0-9.]+) ms \(from", log["Phases"]):
        add("    " + phase.strip(), float(took))
    add("ready -> first 200 seen (first request, the poll's 2 ms step)", (r["first_200_ns"] - main) / 1e6 - log["ReadyMs"])
print()
print("| part of the model server's start | median ms |")
print("| --- | ---: |")
for name, values in rows.items():
    print(f"| {name} | {statistics.median(values):.1f} |")
print(f"| for comparison: docker run -> busybox's first 200 | {float(sys.argv[2]):.1f} |")
print(f"| for comparison: exec, NativeAOT start and exit of the server binary on the host | {float(sys.argv[3]):.1f} |")
PY
fi

docker run -d --name "$c_model" --network host --read-only -e LAYERCAKE_PORT="$model_port" -e LAYERCAKE_SCORER=managed "$image" >/dev/null
docker run -d --name "$c_ort" --network host --read-only -e LAYERCAKE_PORT="$ort_port" -e LAYERCAKE_SCORER=onnxruntime "$ort_image" >/dev/null
running=("$c_model" "$c_ort")
if [ "$batch_only" = 0 ]; then
  docker run -d --name "$c_bare" --network host --read-only -e PORT="$bare_port" layercake-bench/bare >/dev/null
  docker run -d --name "$c_peer" --network host --read-only -e PORT="$peer_port" layercake-bench/peer >/dev/null
  running+=("$c_bare" "$c_peer")
fi
until curl -fs -o /dev/null "http://127.0.0.1:$model_port/v2/health/ready" && curl -fs -o /dev/null "http://127.0.0.1:$ort_port/v2/health/ready" \
  && { [ "$batch_only" = 1 ] || { curl -fs -o /dev/null "http://127.0.0.1:$bare_port/" && curl -fs -o /dev/null "http://127.0.0.1:$peer_port/"; }; }; do
  for c in "${running[@]}"; do
    [ "$(docker inspect -f '{{.State.Running}}' "$c")" = true ] || { echo "error: $c exited" >&2; docker logs "$c" >&2; exit 1; }
  done
  sleep 0.1
done

# Each side must serve with the scorer it was asked for (/metrics says which): an image from before the managed scorer
# would ignore LAYERCAKE_SCORER and compare ONNX Runtime with itself.
for side in "managed $model_port" "onnxruntime $ort_port"; do
  set -- $side
  # Read whole before matching: grep -q stops at the first match and, under pipefail, curl's broken pipe would fail it.
  metrics=$(curl -fs "http://127.0.0.1:$2/metrics") || metrics=""
  grep -q "layercake_scorer_info{.*scorer=\"$1\"" <<<"$metrics" \
    || { echo "error: the server on :$2 does not report scorer=\"$1\" in /metrics (an image from before the managed scorer?)" >&2; exit 1; }
done

# One row in both protocols: the package's first sample when the registry has it (the image carries no training
# rows), otherwise a penguin. The batch body is 1,000 rows cycled from the samples.
samples="models/$model/$version/samples.json"
curl -fs "http://127.0.0.1:$model_port/v2/models/$model" > "$work/metadata.json"
python3 - "$work" "$samples" <<'PY2'
import json, os, sys
work, samples = sys.argv[1], sys.argv[2]
if os.path.exists(samples):
    rows = [r["inputs"] for r in json.load(open(samples))["rows"]]
else:
    rows = [{"Island": "Torgersen", "Beak Length (mm)": 39.1, "Beak Depth (mm)": 18.7, "Flipper Length (mm)": 181, "Body Mass (g)": 3750, "Sex": "MALE"}]
json.dump({"dataframe_records": [rows[0]]}, open(f"{work}/mlflow.json", "w"))
json.dump({"dataframe_records": [rows[i % len(rows)] for i in range(1000)]}, open(f"{work}/batch.json", "w"))
# A sample value that is null has no type of its own; the server's metadata says what each input takes.
types = {i["name"]: i["datatype"] for i in json.load(open(f"{work}/metadata.json"))["inputs"]}
json.dump({"inputs": [{"name": k, "shape": [1], "datatype": types[k], "data": [v]} for k, v in rows[0].items()]}, open(f"{work}/oip.json", "w"))
PY2
# The same 1,000 rows as one Open Inference request in the binary tensor data extension's form, every output binary.
batch_json_length=$(python3 bench/serving/binary_body.py "$work/metadata.json" "$work/batch.json" "$work/batch.bin")

bare_url=http://127.0.0.1:$bare_port/
peer_url=http://127.0.0.1:$peer_port/invocations
mlflow_url=http://127.0.0.1:$model_port/invocations
oip_url="http://127.0.0.1:$model_port/v2/models/$model/versions/$version/infer"
ort_mlflow_url=http://127.0.0.1:$ort_port/invocations
ort_oip_url="http://127.0.0.1:$ort_port/v2/models/$model/versions/$version/infer"

run_wrk() { # url body-file connections [content-type inference-header-length] -> "rps p50 p99 non-2xx"
  local out rps p50 p99 errors
  out=$(BODY_FILE=$2 CONTENT_TYPE=${4:-application/json} INFERENCE_HEADER_LENGTH=${5:-} wrk -t"$(( $3 < 2 ? $3 : 2 ))" -c"$3" -d"${duration}s" --latency -s bench/serving/post.lua "$1")
  rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
  p50=$(echo "$out" | awk '$1=="50%" {print $2}')
  p99=$(echo "$out" | awk '$1=="99%" {print $2}')
  errors=$(echo "$out" | awk '/Non-2xx/ {print $NF}')
  echo "$rps $p50 $p99 ${errors:-0}"
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN{printf "%.2fx", a/b}'; }
verdict() { awk -v v="$1" -v op="$2" -v g="$3" 'BEGIN{ok = (op == ">=") ? v >= g : v <= g; print ok ? "PASS" : "MISS"}'; }
row() { printf '| %-36s | %11s | %10s | %8s | %8s | %7s | %7s |\n' "$@"; }
max() { awk -v a="${1:-0}" -v b="$2" 'BEGIN{print (b > a) ? b : a}'; }

declare -A rps best half
# The model server's own compute during a run, from /metrics before and after: its ONNX Runtime calls (rows a call and
# time a call) and its preprocessing, per request. In a server a call costs several times what it does in a tight
# loop (ServingProfile's phases), because the HTTP work between calls leaves the caches cold
# (docs/decisions/0045-model-cost-in-a-server-and-deferred-calls.md).
compute_snapshot() {
  curl -fs "http://127.0.0.1:$model_port/metrics" | awk '/^layercake_(inference|preprocessing)_seconds_(sum|count)\{|^layercake_batch_rows_(sum|count)\{/ { sub(/\{.*\}/, "", $1); print $1, $2 }'
}
compute_line() { # before-file after-file -> text
  paste "$1" "$2" | awk '{ d[$1] = $4 - $2 } END {
    calls = d["layercake_inference_seconds_count"]; requests = d["layercake_preprocessing_seconds_count"]
    if (calls <= 0 || requests <= 0) { print "no model call seen"; exit }
    printf "%d model calls, %.2f rows a call, %.1f us a call (%.1f us a request); preprocessing %.1f us a request",
      calls, d["layercake_batch_rows_sum"] / d["layercake_batch_rows_count"], 1e6 * d["layercake_inference_seconds_sum"] / calls,
      1e6 * d["layercake_inference_seconds_sum"] / requests, 1e6 * d["layercake_preprocessing_seconds_sum"] / requests }'
}
if [ "$batch_only" = 0 ]; then
echo
echo "warming up..."
for url in "$mlflow_url" "$ort_mlflow_url" "$bare_url" "$peer_url"; do
  BODY_FILE="$work/mlflow.json" wrk -t2 -c16 -d3s -s bench/serving/post.lua "$url" >/dev/null
done

echo
echo "Single-row requests, closed loop: wrk, ${duration}s each, 2 threads (1 at one connection)"
IFS=, read -ra connection_counts <<< "$connections"
for c in "${connection_counts[@]}"; do
  read -r bare_rps bare_p50 bare_p99 bare_err < <(run_wrk "$bare_url" "$work/mlflow.json" "$c")
  read -r peer_rps peer_p50 peer_p99 peer_err < <(run_wrk "$peer_url" "$work/mlflow.json" "$c")
  compute_snapshot > "$work/compute-0"
  read -r ml_rps ml_p50 ml_p99 ml_err < <(run_wrk "$mlflow_url" "$work/mlflow.json" "$c")
  compute_snapshot > "$work/compute-1"
  read -r oip_rps oip_p50 oip_p99 oip_err < <(run_wrk "$oip_url" "$work/oip.json" "$c")
  compute_snapshot > "$work/compute-2"
  read -r oml_rps oml_p50 oml_p99 oml_err < <(run_wrk "$ort_mlflow_url" "$work/mlflow.json" "$c")
  read -r ooip_rps ooip_p50 ooip_p99 ooip_err < <(run_wrk "$ort_oip_url" "$work/oip.json" "$c")
  rps[bare,$c]=$bare_rps rps[peer,$c]=$peer_rps rps[mlflow,$c]=$ml_rps rps[oip,$c]=$oip_rps
  rps[ort_mlflow,$c]=$oml_rps rps[ort_oip,$c]=$ooip_rps
  best[bare]=$(max "${best[bare]:-0}" "$bare_rps") best[peer]=$(max "${best[peer]:-0}" "$peer_rps")
  best[mlflow]=$(max "${best[mlflow]:-0}" "$ml_rps") best[oip]=$(max "${best[oip]:-0}" "$oip_rps")
  echo
  echo "$c connection(s):"
  row endpoint "requests/s" p50 p99 non-2xx "vs peer" "vs bare"
  row ------------------------------------ ----------- ---------- -------- -------- ------- -------
  row "bare Kestrel (constant JSON)" "$bare_rps" "$bare_p50" "$bare_p99" "$bare_err" "$(ratio "$bare_rps" "$peer_rps")" "1.00x"
  row "ML.NET PredictionEngine pool (JIT)" "$peer_rps" "$peer_p50" "$peer_p99" "$peer_err" "1.00x" "$(ratio "$peer_rps" "$bare_rps")"
  row "managed image, mlflow /invocations" "$ml_rps" "$ml_p50" "$ml_p99" "$ml_err" "$(ratio "$ml_rps" "$peer_rps")" "$(ratio "$ml_rps" "$bare_rps")"
  row "managed image, open inference /infer" "$oip_rps" "$oip_p50" "$oip_p99" "$oip_err" "$(ratio "$oip_rps" "$peer_rps")" "$(ratio "$oip_rps" "$bare_rps")"
  row "  onnxruntime image, mlflow" "$oml_rps" "$oml_p50" "$oml_p99" "$oml_err" "$(ratio "$oml_rps" "$peer_rps")" "$(ratio "$oml_rps" "$bare_rps")"
  row "  onnxruntime image, open inference" "$ooip_rps" "$ooip_p50" "$ooip_p99" "$ooip_err" "$(ratio "$ooip_rps" "$peer_rps")" "$(ratio "$ooip_rps" "$bare_rps")"
  echo "managed over ONNX Runtime, same requests: mlflow $(ratio "$ml_rps" "$oml_rps"), open inference $(ratio "$oip_rps" "$ooip_rps")"
  echo "the managed server's own compute (/metrics): mlflow $(compute_line "$work/compute-0" "$work/compute-1")"
  echo "                                             open inference $(compute_line "$work/compute-1" "$work/compute-2")"
done

# Open loop at half of each server's best closed-loop throughput above: requests are due at a fixed rate whatever the
# server does, and latency counts from when each was due (coordinated omission corrected), over 16 connections.
echo
echo "Half the maximum load, open loop: bench/serving/FixedRateLoad, fixed rate for ${duration}s after 2s of warm-up, 16 connections"
echo
printf '| %-36s | %10s | %9s | %9s | %8s | %8s | %8s | %9s | %7s | %13s |\n' server "max req/s" "rate" achieved "p50 ms" "p99 ms" "p99.9 ms" "late p99" non-2xx "server p99 ms"
printf '| %-36s | %10s | %9s | %9s | %8s | %8s | %8s | %9s | %7s | %13s |\n' ------------------------------------ ---------- --------- --------- -------- -------- -------- --------- ------- -------------
# The model server's own view of the same run: its request-duration histogram (from accepting the request to the last
# byte of the response) before and after, as the bucket bound under which 99% of the run's requests fell. Against the
# client's p99 it separates the server's time from the kernel's queues and the machine's scheduling.
histogram() { # endpoint -> "bound count" lines of the cumulative buckets
  curl -fs "http://127.0.0.1:$model_port/metrics" | awk -v e="$1" 'index($0, "layercake_request_duration_seconds_bucket{") == 1 && index($0, "endpoint=\"" e "\"") { match($0, /le="[^"]+"/); print substr($0, RSTART + 4, RLENGTH - 5), $NF }'
}
server_p99() { # before-file after-file -> bound in ms
  paste "$1" "$2" | awk '{ bound[NR] = $1; count[NR] = $4 - $2 } END { total = count[NR]; for (i = 1; i <= NR; i++) if (count[i] >= 0.99 * total) { print (bound[i] == "+Inf") ? "> 5000" : "<= " bound[i] * 1000; exit } }'
}
for server in bare peer mlflow oip; do
  case $server in
    bare) url=$bare_url body=$work/mlflow.json label="bare Kestrel (constant JSON)" ;;
    peer) url=$peer_url body=$work/mlflow.json label="ML.NET PredictionEngine pool (JIT)" ;;
    mlflow) url=$mlflow_url body=$work/mlflow.json label="layercake mlflow /invocations" ;;
    oip) url=$oip_url body=$work/oip.json label="layercake open inference /infer" ;;
  esac
  rate=$(awk -v m="${best[$server]}" 'BEGIN{printf "%.0f", m / 2}')
  endpoint=$([ "$server" = oip ] && echo "/v2/models/{name}/versions/{version}/infer" || echo "/invocations")
  [ "$server" = mlflow ] || [ "$server" = oip ] && histogram "$endpoint" > "$work/hist-before"
  line=$(dotnet bench/serving/FixedRateLoad/bin/Release/net10.0/FixedRateLoad.dll --url="$url" --body="$body" --rate="$rate" --seconds="$duration" --connections=16)
  own="-"
  if [ "$server" = mlflow ] || [ "$server" = oip ]; then
    histogram "$endpoint" > "$work/hist-after"
    own=$(server_p99 "$work/hist-before" "$work/hist-after")
  fi
  field() { echo "$line" | tr ' ' '\n' | awk -F= -v k="$1" '$1==k {print $2}'; }
  half[$server]=$(field p99)
  printf '| %-36s | %10s | %9s | %9s | %8s | %8s | %8s | %9s | %7s | %13s |\n' "$label" "${best[$server]}" "$rate" "$(field achieved)" "$(field p50)" "$(field p99)" "$(field p999)" "$(field late_p99)" "$(( $(field non2xx) + $(field errors) ))" "$own"
done
echo "(late p99: how late the load generator itself released requests, its timer and the machine's scheduling; latency includes it."
echo " server p99: the bucket of the model server's own request-duration histogram under which 99% of the run's requests fell)"
fi

# Batch scoring: 1,000 rows a request, two connections, as MLflow JSON and as an Open Inference binary tensor body
# (every output asked for as binary), against in-process ONNX Runtime on the image's own model, the same rows and the
# same session options (ServingProfile loads the package as the server does).
status=$(curl -s -o "$work/batch.out" -w '%{http_code} %{content_type}' -H 'Content-Type: application/octet-stream' \
  -H "Inference-Header-Content-Length: $batch_json_length" --data-binary "@$work/batch.bin" "$oip_url")
[ "$status" = "200 application/octet-stream" ] || { echo "error: the binary batch request was answered $status: $(head -c 300 "$work/batch.out")" >&2; exit 1; }
# The machine is shared, so in-process ONNX Runtime is measured before and after the servers (which sit idle meanwhile)
# and compared as the mean of the two; both are printed, and their spread shows how much the load moved.
ort_batch() { dotnet bench/serving/ServingProfile/bin/Release/net10.0/ServingProfile.dll --model="$work/model" --ort-batch="$work/batch.json" --seconds="$duration" --scorer="${1:-onnxruntime}"; }
ort_before=$(ort_batch)
managed_alone=$(ort_batch managed)
read -r batch_rps _ _ batch_err < <(run_wrk "$mlflow_url" "$work/batch.json" 2)
read -r binary_rps _ _ binary_err < <(run_wrk "$oip_url" "$work/batch.bin" 2 application/octet-stream "$batch_json_length")
read -r obatch_rps _ _ obatch_err < <(run_wrk "$ort_mlflow_url" "$work/batch.json" 2)
read -r obinary_rps _ _ obinary_err < <(run_wrk "$ort_oip_url" "$work/batch.bin" 2 application/octet-stream "$batch_json_length")
ort_after=$(ort_batch)
docker rm -f "$c_model" "$c_bare" "$c_peer" "$c_ort" >/dev/null 2>&1 || true
ort_rows=$(awk -v a="$ort_before" -v b="$ort_after" 'BEGIN{printf "%.0f", (a + b) / 2}')
batch_rows=$(awk -v r="$batch_rps" 'BEGIN{printf "%.0f", r*1000}')
binary_rows=$(awk -v r="$binary_rps" 'BEGIN{printf "%.0f", r*1000}')
obatch_rows=$(awk -v r="$obatch_rps" 'BEGIN{printf "%.0f", r*1000}')
obinary_rows=$(awk -v r="$obinary_rps" 'BEGIN{printf "%.0f", r*1000}')
echo
echo "Batch scoring, 1,000 rows a request, 2 connections, ${duration}s each (load average $(cut -d' ' -f1-3 /proc/loadavg)):"
echo
printf '| %-52s | %11s | %8s | %7s |\n' "" "rows/s" "vs ORT" non-2xx
printf '| %-52s | %11s | %8s | %7s |\n' ---------------------------------------------------- ----------- -------- -------
printf '| %-52s | %11s | %8s | %7s |\n' "in-process ONNX Runtime (2 threads, the same rows)" "$ort_rows" "1.00x" -
printf '| %-52s | %11s | %8s | %7s |\n' "    measured before the servers / after" "$ort_before / $ort_after" "" ""
printf '| %-52s | %11s | %8s | %7s |\n' "in-process managed scorer (2 threads, the same rows)" "$managed_alone" "$(ratio "$managed_alone" "$ort_rows")" -
printf '| %-52s | %11s | %8s | %7s |\n' "managed image, mlflow /invocations, JSON" "$batch_rows" "$(ratio "$batch_rows" "$ort_rows")" "$batch_err"
printf '| %-52s | %11s | %8s | %7s |\n' "managed image, open inference /infer, binary tensors" "$binary_rows" "$(ratio "$binary_rows" "$ort_rows")" "$binary_err"
printf '| %-52s | %11s | %8s | %7s |\n' "onnxruntime image, mlflow /invocations, JSON" "$obatch_rows" "$(ratio "$obatch_rows" "$ort_rows")" "$obatch_err"
printf '| %-52s | %11s | %8s | %7s |\n' "onnxruntime image, open inference, binary tensors" "$obinary_rows" "$(ratio "$obinary_rows" "$ort_rows")" "$obinary_err"
size_mb=$(docker image inspect --format '{{.Size}}' "$image" | awk '{printf "%.1f", $1/1e6}')
ort_size_mb=$(docker image inspect --format '{{.Size}}' "$ort_image" | awk '{printf "%.1f", $1/1e6}')
if [ "$batch_only" = 0 ]; then
  peer_size_mb=$(docker image inspect --format '{{.Size}}' layercake-bench/peer | awk '{printf "%.1f", $1/1e6}')
  echo "Image size: managed ${size_mb} MB, with ONNX Runtime ${ort_size_mb} MB (the peer's self-contained image ${peer_size_mb} MB)"
fi

echo
echo "Goals (issue 28, the managed scorer's image; issue 12's p99 kept):"
echo
printf '| %-64s | %12s | %9s | %7s |\n' goal figure target verdict
printf '| %-64s | %12s | %9s | %7s |\n' ---------------------------------------------------------------- ------------ --------- -------
goal() { printf '| %-64s | %12s | %9s | %7s |\n' "$1" "$2" "$3 $4" "$(verdict "${2%x}" "$3" "${4%x}")"; }
for c in "${connection_counts[@]:-}"; do
  [ -n "${rps[peer,$c]:-}" ] || continue
  for server in mlflow oip; do
    goal "$server single-row vs the PredictionEngine peer, $c connection(s)" "$(ratio "${rps[$server,$c]}" "${rps[peer,$c]}")" ">=" 1.0x
    [ "$c" = 1 ] || goal "$server single-row vs bare Kestrel, $c connections" "$(ratio "${rps[$server,$c]}" "${rps[bare,$c]}")" ">=" 0.8x
  done
done
if [ "$batch_only" = 0 ]; then
  goal "mlflow p99 at half the maximum load (ms)" "${half[mlflow]}" "<=" 2
  goal "open inference p99 at half the maximum load (ms)" "${half[oip]}" "<=" 2
fi
goal "1,000-row binary open inference vs in-process ONNX Runtime" "$(ratio "$binary_rows" "$ort_rows")" ">=" 1.0x
[ "$batch_only" = 1 ] || goal "first 200 vs the static-binary floor" "$(ratio "$model_ms" "$static_ms")" "<=" 1.2x
goal "image size (MB)" "$size_mb" "<=" 30
