#!/usr/bin/env bash
# Serving benchmark: single-row requests/s and p50/p99 latency for /v2/.../infer and /invocations against
# the model image, and for a bare Kestrel endpoint returning a constant of the same size (the HTTP limit of
# this machine), all in FROM scratch NativeAOT containers on the host network. Also prints the image size and
# the time from `docker run` to the first HTTP 200, next to a trivial static-binary container's.
#   bench/serving/run.sh [IMAGE] [--duration=10] [--connections=32]
# Goals (issue 3): serving >= 0.8x the bare endpoint's throughput, image <= 50 MB, first 200 within 1.5x of
# the trivial container's.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."

image=""
duration=10
connections=32
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
trap 'docker rm -f lc-bench-model lc-bench-bare lc-bench-static >/dev/null 2>&1 || true; rm -rf "$work"' EXIT

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
until curl -fs -o /dev/null http://127.0.0.1:18091/v2/health/ready && curl -fs -o /dev/null http://127.0.0.1:18092/; do sleep 0.05; done

# One row of the package's own samples, in both protocols.
cp "models/$model/$version/samples.json" "$work/samples.json"  # the image does not carry training rows
python3 - "$work" <<'PY'
import json, sys
work = sys.argv[1]
row = json.load(open(f"{work}/samples.json"))["rows"][0]["inputs"]
manifest_inputs = list(row.keys())
json.dump({"dataframe_records": [row]}, open(f"{work}/mlflow.json", "w"))
def datatype(v): return "BYTES" if isinstance(v, str) or v is None and False else "FP32"
inputs = []
for name, value in row.items():
    inputs.append({"name": name, "shape": [1], "datatype": "BYTES" if isinstance(value, str) else "FP32", "data": [value]})
json.dump({"inputs": inputs}, open(f"{work}/oip.json", "w"))
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

run_wrk() { # url body-file -> "rps p50 p99"
  local out
  out=$(BODY_FILE=$2 wrk -t2 -c"$connections" -d"${duration}s" --latency -s bench/serving/post.lua "$1")
  local rps p50 p99
  rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
  p50=$(echo "$out" | awk '$1=="50%" {print $2}')
  p99=$(echo "$out" | awk '$1=="99%" {print $2}')
  local errors
  errors=$(echo "$out" | awk '/Non-2xx/ {print $NF}')
  echo "$rps $p50 $p99 ${errors:-0}"
}

echo "warming up..."
BODY_FILE="$work/mlflow.json" wrk -t2 -c"$connections" -d3s -s bench/serving/post.lua http://127.0.0.1:18091/invocations >/dev/null
BODY_FILE="$work/mlflow.json" wrk -t2 -c"$connections" -d3s -s bench/serving/post.lua http://127.0.0.1:18092/ >/dev/null

read -r bare_rps bare_p50 bare_p99 bare_err < <(run_wrk http://127.0.0.1:18092/ "$work/mlflow.json")
read -r oip_rps oip_p50 oip_p99 oip_err < <(run_wrk "http://127.0.0.1:18091/v2/models/$model/versions/$version/infer" "$work/oip.json")
read -r ml_rps ml_p50 ml_p99 ml_err < <(run_wrk http://127.0.0.1:18091/invocations "$work/mlflow.json")

size_mb=$(docker image inspect --format '{{.Size}}' "$image" | awk '{printf "%.1f", $1/1e6}')
static_size_mb=$(docker image inspect --format '{{.Size}}' layercake-bench/static | awk '{printf "%.1f", $1/1e6}')

echo
echo "Serving benchmark: $image, single-row requests, ${connections} connections, ${duration}s each, $(nproc) cores"
printf '| %-34s | %10s | %8s | %8s | %8s | %12s |\n' endpoint "requests/s" p50 p99 non-2xx "vs bare"
printf '| %-34s | %10s | %8s | %8s | %8s | %12s |\n' ---------------------------------- ---------- -------- -------- -------- ------------
printf '| %-34s | %10s | %8s | %8s | %8s | %12s |\n' "bare Kestrel (constant JSON)" "$bare_rps" "$bare_p50" "$bare_p99" "$bare_err" "1.00x"
printf '| %-34s | %10s | %8s | %8s | %8s | %12s |\n' "open inference v2 /infer" "$oip_rps" "$oip_p50" "$oip_p99" "$oip_err" "$(awk -v a="$oip_rps" -v b="$bare_rps" 'BEGIN{printf "%.2fx", a/b}')"
printf '| %-34s | %10s | %8s | %8s | %8s | %12s |\n' "mlflow /invocations" "$ml_rps" "$ml_p50" "$ml_p99" "$ml_err" "$(awk -v a="$ml_rps" -v b="$bare_rps" 'BEGIN{printf "%.2fx", a/b}')"
echo
echo "image size: ${size_mb} MB (goal <= 50 MB; busybox static image ${static_size_mb} MB)"
echo "docker run to first 200: model ${model_ms} ms, trivial static-binary container ${static_ms} ms ($(awk -v a="$model_ms" -v b="$static_ms" 'BEGIN{printf "%.2fx", a/b}'); goal <= 1.5x)"
