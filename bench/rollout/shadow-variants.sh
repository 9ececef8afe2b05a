#!/usr/bin/env bash
# nginx settings against each other for a shadow
# (docs/decisions/0105-a-shadows-cost-is-the-proxy-hop-and-nginx-settings-stay.md): one live and one shadow model
# server on loopback ports, one nginx 1.22 per variant (the configuration MirrorConfig writes with the variant's settings changed), and the
# fixed-rate open-loop client (bench/serving/FixedRateLoad) on each path in turn, the paths alternating in every round.
# A variant is a name of words joined by '+':
#   direct    the live server alone             proxy    nginx, no mirror        mirror   nginx mirroring to the shadow
#   w1        worker_processes 1                aff      worker_cpu_affinity auto
#   nobuf     proxy_buffering and proxy_request_buffering off                    ma       multi_accept on
#   mto2      the mirror's proxy_read_timeout 2ms (mto20: 20ms; default 5s)
#   low       the mirror goes to a second shadow server at the lowest CPU weight (--cpu-shares=2)
#   copies    the live server direct while the same load goes to the shadow server (no proxy)
# e.g. bench/rollout/shadow-variants.sh --rounds=5 direct proxy mirror copies mirror+w1+aff mirror+nobuf+ma
#   [--image=layercake/penguins:1.0.0] [--rounds=4] [--duration=10] [--rate=200] [--shadow-cpus=0.05] VARIANT...
# --shadow-cpus holds the shadow server's container to that many CPUs (a slow shadow). One line per round and path
# (the client's line, as shadow.sh prints it, and how many requests the shadow counted meanwhile).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
image="" rounds=4 duration=10 rate=200 shadow_cpus="" variants=()
for arg in "$@"; do
  case "$arg" in
    --image=*) image="${arg#--image=}" ;;
    --rounds=*) rounds="${arg#--rounds=}" ;;
    --duration=*) duration="${arg#--duration=}" ;;
    --rate=*) rate="${arg#--rate=}" ;;
    --shadow-cpus=*) shadow_cpus="${arg#--shadow-cpus=}" ;;
    --*) echo "usage: $0 [--image=IMAGE] [--rounds=4] [--duration=10] [--rate=200] [--shadow-cpus=N] VARIANT..." >&2; exit 2 ;;
    *) variants+=("$arg") ;;
  esac
done
[ ${#variants[@]} -gt 0 ] || variants=(direct proxy mirror copies)
scripts/ensure-docker.sh --target=Deploy
[ -x /usr/sbin/nginx ] || LAYERCAKE_INSTALL_DOCKER=1 scripts/ensure-nginx.sh
[ -n "$image" ] || image=$(docker images --format '{{.Repository}}:{{.Tag}}' | grep '^layercake/penguins:' | sort -V | tail -n 1)
[ -n "$image" ] || { echo "error: no layercake/penguins image; run ./build.sh --target=BuildImage first, or pass one" >&2; exit 1; }

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
live_port=$(free_port) shadow_port=$(free_port) low_port=$(free_port)
name="layercake-bench-variants-$$"
work=$(mktemp -d)
chmod 755 "$work"
pids=()
cleanup() {
  docker rm -f "$name-live" "$name-shadow" "$name-low" >/dev/null 2>&1 || true
  for pid in "${pids[@]}"; do kill -QUIT "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT
serve() { docker run -d --name "$name-$1" "${@:3}" --network host -e LAYERCAKE_PORT="$2" -e LAYERCAKE_BIND=127.0.0.1 "$image" >/dev/null; }
serve live "$live_port"
serve shadow "$shadow_port" ${shadow_cpus:+--cpus=$shadow_cpus}
serve low "$low_port" --cpu-shares=2

# $1 the variant, $2 its port: MirrorConfig's configuration with the variant's settings, mirroring to the low-weight
# shadow server for "low".
. bench/rollout/mirror-nginx.sh
nginx_conf() {
  local upstream=$shadow_port
  [[ "+$1+" == *"+low+"* ]] && upstream=$low_port
  mirror_nginx_conf "$work/nginx-$2" "$2" "$live_port" "$upstream" "$1"
}
declare -A ports
for v in "${variants[@]}"; do
  case "$v" in
    direct|copies) ports[$v]=$live_port ;;
    *) ports[$v]=$(free_port)
       setpriv --reuid=65532 --regid=65532 --clear-groups /usr/sbin/nginx -e stderr -c "$(nginx_conf "$v" "${ports[$v]}")" \
         >"$work/$v.log" 2>&1 &
       pids+=($!) ;;
  esac
done
for _ in $(seq 1 100); do
  ready=1
  for port in "${ports[@]}" "$shadow_port" "$low_port"; do curl -sf "127.0.0.1:$port/v2/health/ready" >/dev/null || ready=0; done
  [ "$ready" = 1 ] && break
  sleep 0.2
done

body='{"dataframe_records":[{"Island":"Biscoe","Beak Length (mm)":47.5,"Beak Depth (mm)":14.2,"Flipper Length (mm)":215,"Body Mass (g)":5000,"Sex":"FEMALE"}]}'
echo "$body" > "$work/body.json"
dotnet build bench/serving/FixedRateLoad -c Release -v q -nologo >/dev/null
load="dotnet bench/serving/FixedRateLoad/bin/Release/net10.0/FixedRateLoad.dll"
run() { $load --url="http://127.0.0.1:$1/invocations" --body="$work/body.json" --rate="$rate" --seconds="$duration" --connections=16; }
requests() { curl -s "127.0.0.1:$1/metrics" | awk '/^layercake_requests_total\{.*endpoint="\/invocations"/ {s += $2} END {print s + 0}'; }

echo "image $image, nginx $(/usr/sbin/nginx -v 2>&1 | sed 's/.*nginx\///'), $(nproc) cores, $(date -u +%Y-%m-%dT%H:%MZ)"
for round in $(seq 1 "$rounds"); do
  for v in "${variants[@]}"; do
    shadow=$shadow_port; [[ "+$v+" == *"+low+"* ]] && shadow=$low_port
    before=$(requests "$shadow") twin=""
    if [ "$v" = copies ]; then run "$shadow_port" >/dev/null & twin=$!; fi
    line="round $round $v load=$(cut -d' ' -f1 /proc/loadavg) fixed-rate $(run "${ports[$v]}")"
    [ -z "$twin" ] || wait "$twin"
    sleep 1
    echo "$line shadow_counted=$(( $(requests "$shadow") - before ))"
  done
done
