#!/usr/bin/env bash
# Security and overload benchmark (issue 29), side by side in one run, against one serving image on the host network:
#   1. token authentication: two containers of the same image, authentication off and on (a tokens file of 3 tokens
#      mounted read-only, the client sending the last), wrk closed loop at 16 connections, alternated off/on three
#      times; the ratio of requests/s, and of the server's own CPU a request.
#   2. overload: a container bounded by LAYERCAKE_MAX_CONCURRENT_REQUESTS; its maximum rate R (wrk, 16 connections),
#      then the open-loop client (bench/serving/FixedRateLoad on --connections, dropping a request that finds none
#      free) at R/2 and at 4R, with a health probe every 50 ms meanwhile: p99 of the accepted (2xx) answers at each load, the 503s shed, health failures; then the seconds from
#      the end of the 4R load until scoring is normal again (10 probes in a row accepted within the R/2 p99).
#   bench/security/run.sh IMAGE [--duration=10] [--bound=8] [--connections=64] [--body=FILE]
# IMAGE is a serving image, e.g. layercake/penguins:1.0.0 (./build.sh --target=BuildImage); the default body is one
# penguins row, --body= gives another model's single-row MLflow request.
# Goals: auth on >= 0.95x off; at 4R, 0 health failures and accepted p99 <= 3x its value at R/2; normal within 5 s.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
image=${1:?usage: bench/security/run.sh IMAGE [--duration=10] [--bound=8] [--connections=64] [--body=FILE]}
duration=10
bound=8
connections=64
body=""
for arg in "${@:2}"; do
  case "$arg" in
    --duration=*) duration="${arg#--duration=}" ;;
    --bound=*) bound="${arg#--bound=}" ;;
    --connections=*) connections="${arg#--connections=}" ;;
    --body=*) body="${arg#--body=}" ;;
    *) echo "error: unknown argument $arg" >&2; exit 2 ;;
  esac
done
docker image inspect "$image" >/dev/null 2>&1 || { echo "error: the Docker engine has no image $image; build it with ./build.sh --target=BuildImage" >&2; exit 2; }
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
work=$(mktemp -d)
chmod 755 "$work"
prefix="lc-bench-security-$$"
trap 'docker ps -aq --filter "name=$prefix" | xargs -r docker rm -f >/dev/null; rm -rf "$work"' EXIT

dotnet build bench/serving/FixedRateLoad -c Release --nologo -v quiet >/dev/null
load=bench/serving/FixedRateLoad/bin/Release/net10.0/FixedRateLoad.dll
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
token=$(head -c 24 /dev/urandom | base64 | tr -d '/+=')
printf 'old-token-%s\nother-token-%s\n%s\n' "$token" "$token" "$token" > "$work/tokens"
chmod 644 "$work/tokens"   # the server runs as uid 65532 in the container
if [ -n "$body" ]; then cp "$body" "$work/body.json"; else cat > "$work/body.json" <<'JSON'
{"dataframe_records":[{"Island":"Biscoe","Beak Length (mm)":47.5,"Beak Depth (mm)":14.2,"Flipper Length (mm)":215,"Body Mass (g)":4500,"Sex":"MALE"}]}
JSON
fi

start() { # port, then docker run options; the container is named for its port
  local port=$1; shift
  docker run -d --name "$prefix-$port" --network host --read-only -e LAYERCAKE_PORT="$port" -e LAYERCAKE_BIND=127.0.0.1 \
    -e LAYERCAKE_LOG_LEVEL=Warning "$@" "$image" >/dev/null
  docker inspect -f '{{.State.Pid}}' "$prefix-$port" > "$work/pid-$port"
  for _ in $(seq 150); do curl -sf "http://127.0.0.1:$port/v2/health/ready" >/dev/null && return; sleep 0.2; done
  echo "the container on port $port did not start:"; docker logs "$prefix-$port" 2>&1 | tail -20; exit 1
}
rps() { BODY_FILE="$work/body.json" wrk -t1 -c16 -d"${duration}s" -s bench/serving/post.lua "$@" | awk '/Requests\/sec/ {print $2}'; }
cpu_ticks() { awk '{print $14 + $15}' "/proc/$(cat "$work/pid-$1")/stat"; }   # the container's server process
# One wrk run against PORT: "requests/s server-CPU-µs-per-request". On a shared machine the throughput swings with the
# neighbours' load; the server's own CPU per request does much less, and is what authentication adds to.
measure() {
  local port=$1; shift
  local before after r
  before=$(cpu_ticks "$port")
  r=$(rps "http://127.0.0.1:$port/invocations" "$@")
  after=$(cpu_ticks "$port")
  python3 -c "import os,sys; r,b,a,d=map(float,sys.argv[1:5]); t=os.sysconf('SC_CLK_TCK'); print(f'{r:.0f} {(a-b)/t*1e6/(r*d):.0f}')" "$r" "$before" "$after" "$duration"
}

off=$(free_port); on=$(free_port); bounded=$(free_port)
start "$off"
start "$on" -e LAYERCAKE_AUTH_TOKENS_FILE=/run/secrets/layercake/tokens -v "$work/tokens:/run/secrets/layercake/tokens:ro"
start "$bounded" -e LAYERCAKE_MAX_CONCURRENT_REQUESTS="$bound"
score() { curl -s -o /dev/null -w '%{http_code}' -X POST -H 'Content-Type: application/json' --data @"$work/body.json" "$@"; }
status=$(score "http://127.0.0.1:$on/invocations")
[ "$status" = 401 ] || { echo "error: $image answered $status, not 401, without a token: built before token authentication?" >&2; exit 1; }
status=$(score -H "Authorization: Bearer $token" "http://127.0.0.1:$on/invocations")
[ "$status" = 200 ] || { echo "error: $image answered $status with a valid token (is --body= a request for this model?)" >&2; exit 1; }

echo "## Token authentication: wrk, 16 connections, ${duration} s a run, single-row MLflow requests"
rps "http://127.0.0.1:$off/invocations" >/dev/null   # warm-up
rps "http://127.0.0.1:$on/invocations" -H "Authorization: Bearer $token" >/dev/null
offs=() ons=() offcpu=() oncpu=()
for round in 1 2 3; do
  read -r r c <<<"$(measure "$off")"; offs+=("$r"); offcpu+=("$c")
  read -r r c <<<"$(measure "$on" -H "Authorization: Bearer $token")"; ons+=("$r"); oncpu+=("$c")
  echo "round $round: off ${offs[-1]} req/s (${offcpu[-1]} µs CPU a request), on ${ons[-1]} req/s (${oncpu[-1]} µs CPU a request)"
done
python3 - "${offs[*]}" "${ons[*]}" "${offcpu[*]}" "${oncpu[*]}" <<'PY'
import statistics, sys
off, on, offc, onc = ([float(x) for x in a.split()] for a in sys.argv[1:5])
print(f"auth on / off, requests/s: {sum(on)/sum(off):.3f}x (median of pairs {statistics.median(b/a for a, b in zip(off, on)):.3f}x; goal >= 0.95)")
print(f"server CPU a request, off / on: {statistics.median(offc)/statistics.median(onc):.3f}x (the throughput ratio when CPU-bound)")
PY

echo "## Overload: bound of $bound concurrent scoring requests"
max=$(rps "http://127.0.0.1:$bounded/invocations")
max=${max%.*}
echo "maximum (wrk closed loop, 16 connections): $max req/s"
probe() { # health probe every 50 ms until the file "$work/stop" exists; prints checks and failures
  local checks=0 failures=0
  while [ ! -e "$work/stop" ]; do
    checks=$((checks + 1))
    curl -sf -m 2 "http://127.0.0.1:$bounded/v2/health/ready" >/dev/null || failures=$((failures + 1))
    sleep 0.05
  done
  echo "$checks $failures"
}
# 64 keep-alive connections, as a proxy's upstream pool would hold; a request due while all are busy is dropped and
# counted (--when-busy=drop), not queued in the client: past what the connections carry, a client-side queue grows for
# as long as the load lasts, its wait is charged to every later request, and it keeps sending long after the load's
# end, so neither the overload's p99 nor the recovery would be the server's.
openloop() {
  dotnet "$load" --url="http://127.0.0.1:$bounded/invocations" --body="$work/body.json" --rate="$1" --seconds="$duration" \
    --connections="$connections" --warmup=1 --when-busy=drop
}
half=$(openloop $((max / 2)))
echo "R/2: $half"
p99() { sed -E 's/.*p99_2xx=([0-9.]+).*/\1/' <<<"$1"; }
probe > "$work/probe" &
probing=$!
# The 4R load ends when its client stops sending: 1 s of warm-up and the duration after it starts.
load_end=$(python3 -c "import time; print(time.time() + 1 + $duration)")
# Normal: accepted within the R/2 p99, the yardstick of the goal.
python3 bench/security/recovery.py "http://127.0.0.1:$bounded/invocations" "$work/body.json" "$load_end" "$(p99 "$half")" > "$work/recovery" &
recovering=$!
over=$(openloop $((max * 4)))
touch "$work/stop"; wait "$probing"
read -r checks failures < "$work/probe"
echo "4R:  $over"
echo "health during 4R: $checks checks, $failures failed (goal 0)"
wait "$recovering"
echo "after 4R: $(cat "$work/recovery")"
after=$(openloop $((max / 2)))
echo "R/2 again: $after"
python3 -c "import sys; h,o,a=map(float,sys.argv[1:4]); print(f'accepted p99: {h:.3f} ms at R/2, {o:.3f} ms at 4R ({o/h:.2f}x, goal <= 3), {a:.3f} ms at R/2 after ({a/h:.2f}x)')" "$(p99 "$half")" "$(p99 "$over")" "$(p99 "$after")"
curl -s "http://127.0.0.1:$bounded/metrics" | grep -E '^layercake_requests_shed_total'
