#!/usr/bin/env bash
# What the canary's proxy costs (issue 27): one model server on the host network, measured directly and through
# HAProxy 2.6 (Debian's, the binary the canary's FROM scratch proxy image holds, here run on the host as the serving
# user with the configuration a rollout writes, the canary's weight 0), side by side in one run:
#   - requests/s under wrk (closed loop, 16 connections, single-row /invocations) and its p99;
#   - p50/p99 under a fixed-rate open-loop load (bench/serving/FixedRateLoad) at 200 requests/s and at --rate.
# Direct and proxy alternate for --rounds rounds, so a neighbour's load on a shared machine falls on both alike.
#   bench/rollout/run.sh [IMAGE] [--duration=10] [--rate=1000] [--rounds=3]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
image="" duration=10 rate=1000 rounds=3
for arg in "$@"; do
  case "$arg" in
    --duration=*) duration="${arg#--duration=}" ;;
    --rate=*) rate="${arg#--rate=}" ;;
    --rounds=*) rounds="${arg#--rounds=}" ;;
    *) image="$arg" ;;
  esac
done
scripts/ensure-docker.sh --target=Deploy
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
[ -x /usr/sbin/haproxy ] || LAYERCAKE_INSTALL_DOCKER=1 scripts/ensure-haproxy.sh
[ -n "$image" ] || image=$(docker images --format '{{.Repository}}:{{.Tag}}' | grep '^layercake/penguins:' | sort -V | tail -n 1)
[ -n "$image" ] || { echo "error: no layercake/penguins image; run ./build.sh --target=BuildImage first, or pass one" >&2; exit 1; }

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
server_port=$(free_port) proxy_port=$(free_port) admin_port=$(free_port)
name="layercake-bench-rollout-$$"
work=$(mktemp -d)
chmod 755 "$work"
cleanup() { docker rm -f "$name" >/dev/null 2>&1 || true; [ -n "${proxy_pid:-}" ] && kill "$proxy_pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

docker run -d --name "$name" --network host -e LAYERCAKE_PORT="$server_port" -e LAYERCAKE_BIND=127.0.0.1 "$image" >/dev/null
cat > "$work/haproxy.cfg" <<CFG
global
  maxconn 4000
  stats socket ipv4@127.0.0.1:$admin_port level admin
defaults
  mode http
  option http-keep-alive
  option idle-close-on-response
  option redispatch
  retries 3
  timeout connect 2s
  timeout client 130s
  timeout server 60s
  timeout http-keep-alive 130s
frontend live
  bind 127.0.0.1:$proxy_port
  default_backend versions
backend versions
  balance roundrobin
  server stable 127.0.0.1:$server_port id 1 weight 100
  server canary 127.0.0.1:9 id 2 weight 0
  http-response set-header X-Model-Version stable if { srv_id 1 }
  http-response set-header X-Model-Version canary if { srv_id 2 }
CFG
chmod 644 "$work/haproxy.cfg"
setpriv --reuid=65532 --regid=65532 --clear-groups /usr/sbin/haproxy -db -f "$work/haproxy.cfg" >"$work/haproxy.log" 2>&1 &
proxy_pid=$!
for _ in $(seq 1 100); do curl -sf "127.0.0.1:$server_port/v2/health/ready" >/dev/null && curl -sf "127.0.0.1:$proxy_port/v2/health/ready" >/dev/null && break; sleep 0.2; done

body='{"dataframe_records":[{"Island":"Biscoe","Beak Length (mm)":47.5,"Beak Depth (mm)":14.2,"Flipper Length (mm)":215,"Body Mass (g)":5000,"Sex":"FEMALE"}]}'
echo "$body" > "$work/body.json"
cat > "$work/post.lua" <<LUA
wrk.method = "POST"
wrk.body = '$body'
wrk.headers["Content-Type"] = "application/json"
LUA
dotnet build bench/serving/FixedRateLoad -c Release -v q -nologo >/dev/null
load="dotnet bench/serving/FixedRateLoad/bin/Release/net10.0/FixedRateLoad.dll"

echo "image $image, HAProxy $(/usr/sbin/haproxy -v | head -n 1 | awk '{print $3}'), $(nproc) cores, $(date -u +%Y-%m-%dT%H:%MZ)"
for round in $(seq 1 "$rounds"); do
for path in direct proxy; do
  port=$server_port; [ "$path" = proxy ] && port=$proxy_port
  wrk -t2 -c16 -d"${duration}s" --latency -s "$work/post.lua" "http://127.0.0.1:$port/invocations" > "$work/wrk-$path.txt"
  rps=$(awk '/Requests\/sec/ {print $2}' "$work/wrk-$path.txt")
  p99=$(awk '$1 == "99%" {print $2}' "$work/wrk-$path.txt")
  echo "round $round $path wrk16: requests/s=$rps p99=$p99"
  for r in 200 "$rate"; do
    echo "round $round $path fixed-rate $($load --url="http://127.0.0.1:$port/invocations" --body="$work/body.json" --rate="$r" --seconds="$duration" --connections=16)"
  done
done
done
