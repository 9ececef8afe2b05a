#!/usr/bin/env bash
# What a shadow costs the live version (issue 27: at most +10 % on the live p99): one live model server and one shadow
# server on the host network, and nginx 1.22 (Debian's, the binary the shadow's FROM scratch image holds, here run on
# the host as the serving user with the configuration a shadow run writes). Three paths, side by side in one run:
#   direct  - the live server alone (what serves when no shadow runs);
#   proxy   - through nginx, mirror off (the proxy's own cost);
#   shadow  - through nginx, every request mirrored to the shadow server (what a shadow run costs).
# For each: p50/p99 under a fixed-rate open-loop load (bench/serving/FixedRateLoad) at 200 requests/s and at --rate,
# and wrk's requests/s (closed loop, 16 connections). The paths alternate for --rounds rounds; the last lines give, per
# fixed rate and path, the median p50 and p99 over the rounds (with their spread) and each path's p99 against direct's.
#   bench/rollout/shadow.sh [IMAGE] [SHADOW_IMAGE] [--duration=10] [--rate=500] [--rounds=3] [--low-rate=200] [--wrk=on|off]
#     [--copies=on|off]
# --low-rate changes the first fixed rate (200); --wrk=off leaves out the closed-loop run, which saturates both servers
# just before the fixed-rate runs of the same path; --copies=on adds a fourth path, "copies": the live server direct
# while the same fixed-rate load goes to the shadow server, i.e. both compute every request with no proxy in the live
# path (what a mirror taken off the live path could cost at best).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
image="" shadow_image="" duration=10 rate=500 rounds=3 low_rate=200 wrk=on copies=off
for arg in "$@"; do
  case "$arg" in
    --duration=*) duration="${arg#--duration=}" ;;
    --rate=*) rate="${arg#--rate=}" ;;
    --rounds=*) rounds="${arg#--rounds=}" ;;
    --low-rate=*) low_rate="${arg#--low-rate=}" ;;
    --wrk=on|--wrk=off) wrk="${arg#--wrk=}" ;;
    --copies=on|--copies=off) copies="${arg#--copies=}" ;;
    --*) echo "usage: $0 [IMAGE] [SHADOW_IMAGE] [--duration=10] [--rate=500] [--rounds=3] [--low-rate=200] [--wrk=on|off]" \
      "[--copies=on|off]" >&2; exit 2 ;;
    *) if [ -z "$image" ]; then image="$arg"; else shadow_image="$arg"; fi ;;
  esac
done
scripts/ensure-docker.sh --target=Deploy
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
[ -x /usr/sbin/nginx ] || LAYERCAKE_INSTALL_DOCKER=1 scripts/ensure-nginx.sh
[ -n "$image" ] || image=$(docker images --format '{{.Repository}}:{{.Tag}}' | grep '^layercake/penguins:' | sort -V | tail -n 1)
[ -n "$image" ] || { echo "error: no layercake/penguins image; run ./build.sh --target=BuildImage first, or pass one" >&2; exit 1; }
[ -n "$shadow_image" ] || shadow_image="$image"

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
live_port=$(free_port) shadow_port=$(free_port) proxy_port=$(free_port) mirror_port=$(free_port)
name="layercake-bench-shadow-$$"
work=$(mktemp -d)
chmod 755 "$work"
cleanup() {
  docker rm -f "$name-live" "$name-shadow" >/dev/null 2>&1 || true
  for pid in ${proxy_pid:-} ${mirror_pid:-}; do kill -QUIT "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

docker run -d --name "$name-live" --network host -e LAYERCAKE_PORT="$live_port" -e LAYERCAKE_BIND=127.0.0.1 "$image" >/dev/null
docker run -d --name "$name-shadow" --network host -e LAYERCAKE_PORT="$shadow_port" -e LAYERCAKE_BIND=127.0.0.1 "$shadow_image" >/dev/null

# The configuration MirrorConfig renders, with host paths; $1 the port, $2 "on" to mirror.
. bench/rollout/mirror-nginx.sh
nginx_conf() { mirror_nginx_conf "$work/nginx-$1" "$1" "$live_port" "$shadow_port" "$([ "$2" = on ] && echo mirror)"; }
setpriv --reuid=65532 --regid=65532 --clear-groups /usr/sbin/nginx -e stderr -c "$(nginx_conf "$proxy_port" off)" >"$work/proxy.log" 2>&1 &
proxy_pid=$!
setpriv --reuid=65532 --regid=65532 --clear-groups /usr/sbin/nginx -e stderr -c "$(nginx_conf "$mirror_port" on)" >"$work/mirror.log" 2>&1 &
mirror_pid=$!
for _ in $(seq 1 100); do
  curl -sf "127.0.0.1:$live_port/v2/health/ready" >/dev/null && curl -sf "127.0.0.1:$shadow_port/v2/health/ready" >/dev/null \
    && curl -sf "127.0.0.1:$proxy_port/v2/health/ready" >/dev/null && curl -sf "127.0.0.1:$mirror_port/v2/health/ready" >/dev/null && break
  sleep 0.2
done

body='{"dataframe_records":[{"Island":"Biscoe","Beak Length (mm)":47.5,"Beak Depth (mm)":14.2,"Flipper Length (mm)":215,"Body Mass (g)":5000,"Sex":"FEMALE"}]}'
echo "$body" > "$work/body.json"
cat > "$work/post.lua" <<LUA
wrk.method = "POST"
wrk.body = '$body'
wrk.headers["Content-Type"] = "application/json"
LUA
dotnet build bench/serving/FixedRateLoad -c Release -v q -nologo >/dev/null
load="dotnet bench/serving/FixedRateLoad/bin/Release/net10.0/FixedRateLoad.dll"
requests() { curl -s "127.0.0.1:$1/metrics" | awk '/^layercake_requests_total\{.*endpoint="\/invocations"/ {s += $2} END {print s + 0}'; }

echo "image $image, shadow $shadow_image, nginx $(/usr/sbin/nginx -v 2>&1 | sed 's/.*nginx\///'), $(nproc) cores, $(date -u +%Y-%m-%dT%H:%MZ)"
paths="direct proxy shadow"; [ "$copies" = on ] && paths="$paths copies"
for round in $(seq 1 "$rounds"); do
for path in $paths; do
  port=$live_port; [ "$path" = proxy ] && port=$proxy_port; [ "$path" = shadow ] && port=$mirror_port
  if [ "$wrk" = on ] && [ "$path" != copies ]; then
    wrk -t2 -c16 -d"${duration}s" --latency -s "$work/post.lua" "http://127.0.0.1:$port/invocations" > "$work/wrk-$path.txt"
    echo "round $round $path wrk16: requests/s=$(awk '/Requests\/sec/ {print $2}' "$work/wrk-$path.txt") p99=$(awk '$1 == "99%" {print $2}' "$work/wrk-$path.txt")"
  fi
  for r in "$low_rate" "$rate"; do
    # copies: the live server direct while a second client sends the same load to the shadow server, so that both
    # compute every request as under a mirror, with no proxy in the live path (the best a mirror off the path can do).
    twin=""
    if [ "$path" = copies ]; then
      $load --url="http://127.0.0.1:$shadow_port/invocations" --body="$work/body.json" --rate="$r" --seconds="$duration" \
        --connections=16 >/dev/null & twin=$!
    fi
    echo "round $round $path fixed-rate $($load --url="http://127.0.0.1:$port/invocations" --body="$work/body.json" --rate="$r" --seconds="$duration" --connections=16)"
    [ -z "$twin" ] || wait "$twin"
  done
done
done | tee "$work/rounds.txt"
# Per fixed rate and path: the medians over the rounds of p50, p99 (and the p99s' range) and the client's own lateness
# (late_p99: when it is near p99, the tail is the machine's, not the path's), then each path's median p99 against direct's.
awk -v paths="$paths" '$4 == "fixed-rate" {
  split($5, r, "="); rate = r[2]; path = $3
  for (i = 6; i <= NF; i++) { split($i, kv, "="); if (kv[1] == "p50" || kv[1] == "p99" || kv[1] == "late_p99") list[rate, path, kv[1]] = list[rate, path, kv[1]] " " kv[2] }
  if (!(rate in seen)) { seen[rate] = 1; rates[++n] = rate }
}
function median(values,   a, k, i, j, t) {
  k = split(values, a, " ")
  for (i = 2; i <= k; i++) for (j = i; j > 1 && a[j - 1] + 0 > a[j] + 0; j--) { t = a[j]; a[j] = a[j - 1]; a[j - 1] = t }
  range = a[1] "-" a[k]
  return k % 2 ? a[(k + 1) / 2] : (a[k / 2] + a[k / 2 + 1]) / 2
}
END {
  m = split(paths, names, " ")
  for (x = 1; x <= n; x++) {
    rate = rates[x]; line = "median of rounds at " rate "/s:"; ratios = "p99 against direct at " rate "/s:"
    for (p = 1; p <= m; p++) {
      p50 = median(list[rate, names[p], "p50"]); late = median(list[rate, names[p], "late_p99"])
      p99 = median(list[rate, names[p], "p99"])
      if (p == 1) base = p99; else ratios = ratios sprintf(" %s %.2f", names[p], p99 / base)
      line = line sprintf(" %s p50=%.3f p99=%.3f (%s) late_p99=%.3f", names[p], p50, p99, range, late)
    }
    print line; print ratios
  }
}' "$work/rounds.txt"
what="mirrored /invocations requests"; [ "$copies" = off ] || what="/invocations requests (mirrored, and the copies path's)"
echo "the shadow server answered $(requests "$shadow_port") $what; the live server $(requests "$live_port") in all"
