#!/usr/bin/env bash
# Soak benchmark: a model server under steady single-row load at about half its measured maximum, for a long run.
# Every minute it prints requests/s, p99 latency, errors (non-2xx and socket errors), the server's resident memory
# and the prediction log's written and dropped line counts (from /metrics).
#   bench/soak/run.sh [IMAGE] [--minutes=10] [--connections=8] [--body=FILE]
# The request is one penguins row through MLflow's /invocations; --body gives another model's row
# ({"dataframe_records":[{...}]}).
# Goals (issue 15): 0 errors, resident memory growth under 10 % from minute 2 to the last, nothing dropped.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."

image=""
minutes=10
connections=8
body=""
for arg in "$@"; do
  case "$arg" in
    --minutes=*) minutes="${arg#--minutes=}" ;;
    --connections=*) connections="${arg#--connections=}" ;;
    --body=*) body="${arg#--body=}" ;;
    *) image="$arg" ;;
  esac
done

scripts/ensure-docker.sh --target=BuildImage
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
if [ -z "$image" ]; then
  image=$(docker images --format '{{.Repository}}:{{.Tag}}' 'layercake/penguins' | sort -V | tail -n 1)
  if [ -z "$image" ]; then
    echo "No layercake/penguins image; building one with ./build.sh --target=SmokeTest"
    ./build.sh --target=SmokeTest --verbosity=minimal
    image=$(docker images --format '{{.Repository}}:{{.Tag}}' 'layercake/penguins' | sort -V | tail -n 1)
  fi
fi

# Unique names and a free port: other builds may share this engine.
name="lc-soak-$$"
volume="lc-soak-$$-predictions"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
work=$(mktemp -d)
trap 'docker rm -f "$name" >/dev/null 2>&1 || true; docker volume rm -f "$volume" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT

if [ -n "$body" ]; then
  cp "$body" "$work/body.json"
else
  echo '{"dataframe_records":[{"Island":"Biscoe","Beak Length (mm)":47.5,"Beak Depth (mm)":14.2,"Flipper Length (mm)":215,"Body Mass (g)":5000,"Sex":"FEMALE"}]}' > "$work/body.json"
fi
url="http://127.0.0.1:$port/invocations"

docker volume create "$volume" >/dev/null
docker run -d --name "$name" --network host --read-only \
  -e LAYERCAKE_PORT="$port" -e LAYERCAKE_LOG_LEVEL=Warning \
  -e LAYERCAKE_PREDICTION_LOG=/var/lib/layercake/predictions \
  --mount "type=volume,source=$volume,target=/var/lib/layercake/predictions" "$image" >/dev/null
for _ in $(seq 1 100); do curl -fs -o /dev/null "http://127.0.0.1:$port/v2/health/ready" && break; sleep 0.1; done
curl -fs -o /dev/null -X POST -H 'Content-Type: application/json' --data @"$work/body.json" "$url" \
  || { echo "error: $image does not answer $url" >&2; docker logs "$name" >&2; exit 1; }

metric() { curl -fs "http://127.0.0.1:$port/metrics" | awk -v m="$1" '$1 == m || index($1, m "{") == 1 { sum += $2 } END { printf "%d", sum }'; }
rss_mib() { awk '/^VmRSS/ { printf "%.1f", $2 / 1024 }' "/proc/$(docker inspect -f '{{.State.Pid}}' "$name")/status"; }

echo "Measuring the maximum for 15 s ($connections connections, no pause)..."
max=$(BODY_FILE="$work/body.json" DELAY_MS=0 wrk -t2 -c"$connections" -d15s -s bench/soak/rate.lua "$url" | awk '/Requests\/sec/ { printf "%d", $2 }')
rate=$(( max / 2 ))
delay=$(( connections * 1000 / (rate > 0 ? rate : 1) ))
echo "Maximum $max requests/s; soaking at about $rate/s ($connections connections, one request every $delay ms each) for $minutes minutes"
echo
echo "| minute | requests/s | p99 (ms) | errors | RSS (MiB) | log written | log dropped |"
echo "| ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
for minute in $(seq 1 "$minutes"); do
  out=$(BODY_FILE="$work/body.json" DELAY_MS="$delay" wrk -t2 -c"$connections" -d60s --latency -s bench/soak/rate.lua "$url")
  rps=$(echo "$out" | awk '/Requests\/sec/ { print $2 }')
  p99=$(echo "$out" | awk '$1 == "99%" { v = $2; if (v ~ /us$/) { sub(/us/, "", v); v /= 1000 } else if (v ~ /ms$/) { sub(/ms/, "", v) } else if (v ~ /s$/) { sub(/s/, "", v); v *= 1000 }; printf "%.2f", v }')
  non2xx=$(echo "$out" | awk '/Non-2xx/ { print $NF }')
  socket=$(echo "$out" | awk -F'[ ,]+' '/Socket errors/ { print $4 + $6 + $8 + $10 }')
  errors=$(( ${non2xx:-0} + ${socket:-0} ))
  printf '| %d | %s | %s | %d | %s | %s | %s |\n' "$minute" "$rps" "$p99" "$errors" "$(rss_mib)" \
    "$(metric layercake_prediction_log_written_total)" "$(metric layercake_prediction_log_dropped_total)"
done
