#!/usr/bin/env bash
# SIGKILL soak of canary rollouts (issue 27: "killing the build at a random moment of a rollout, 10 times, leaves the
# environment answering every time, and Status is true about what serves"). In a scratch copy of the repository's
# pipelines and data, with a model of its own name and a canary environment on a free port:
#   1. deploys 1.0.0 (all at once: nothing is live yet) and builds the image of 1.1.0;
#   2. --kills times: starts a canary deploy of the version not serving (the build host run directly, so the kill hits
#      the build itself), kills it with SIGKILL after a random 0..--window seconds, then checks that the port answers
#      (within 5 s) and which version answered, and that Status says what serves: "a canary rollout holds port" while
#      the proxy is left (and the canary's weight), or the version that answered when nothing of the rollout is left;
#   3. deploys once more (which undoes whatever a kill left) and checks the port and Status again.
# A line per kill, then a summary; exits 1 if any check failed. Everything it started is removed at the end.
# --target=swarm runs the same against a swarm environment of 2 replicas; the rollout then runs as three services
# (docs/decisions/0094-a-swarm-canary-is-three-services-on-the-builds-node.md).
#   bench/rollout/soak.sh [--kills=10] [--window=30] [--interval=8s] [--target=docker|swarm]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
kills=10 window=30 interval=8s target=docker
for arg in "$@"; do
  case "$arg" in
    --kills=*) kills="${arg#--kills=}" ;;
    --window=*) window="${arg#--window=}" ;;
    --interval=*) interval="${arg#--interval=}" ;;
    --target=docker|--target=swarm) target="${arg#--target=}" ;;
    *) echo "usage: $0 [--kills=10] [--window=30] [--interval=8s] [--target=docker|swarm]" >&2; exit 2 ;;
  esac
done
scripts/ensure-docker.sh --target=Deploy
repo=$(pwd)
dotnet build build -c Release -v q -nologo >/dev/null
host="$repo/build/bin/Release/net10.0/Layercake.Build.dll"
model="soak$$"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
work=$(mktemp -d)
cleanup() {
  docker service ls -q --filter "label=io.layercake.model=$model" | xargs -r docker service rm >/dev/null 2>&1 || true
  [ "$target" = swarm ] && sleep 8  # Swarm stops the services' containers with their grace periods before configs and images can go
  docker config ls -q --filter "label=io.layercake.model=$model" | xargs -r docker config rm >/dev/null 2>&1 || true
  docker ps -aq --filter "label=io.layercake.model=$model" | xargs -r docker rm -f >/dev/null 2>&1 || true
  docker images --format '{{.Repository}}:{{.Tag}}' "layercake/$model" | xargs -r docker rmi -f >/dev/null 2>&1 || true
  docker volume ls -q --filter "name=layercake-$model-" | xargs -r docker volume rm -f >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
cp -r pipelines data "$work/"
pipeline="$work/pipelines/penguins.yaml"
sed -i "s/^name: penguins/name: $model/" "$pipeline"
sed -i '/^environments:/,$d' "$pipeline"
# The second version (other regularisation) scores a little lower: let the champion gate take it, as the deploy tests do.
sed -i 's/^  max_primary_std: 0.05$/  max_primary_std: 0.05\n  champion:\n    max_absolute_drop: 0.05/' "$pipeline"
cat >> "$pipeline" <<YAML
environments:
  soak:
    port: $port
$([ "$target" = swarm ] && printf '    target: swarm\n    replicas: 2\n    update_delay: 500ms\n    monitor: 2s\n')
    watch: 500ms
    drain_timeout: 5s
    strategy:
      kind: canary
      steps: [10, 50]
      interval: $interval
      analysis: { min_requests: 1, max_p99_ratio: 100, failure_limit: 3 }
YAML
build() { (cd "$work" && dotnet "$host" "$@"); }
served() {  # the version answering on the port, or "none" after 5 s
  for _ in $(seq 1 25); do
    v=$(curl -s -m 1 "127.0.0.1:$port/v2/models/$model" | python3 -c 'import json,sys; print(json.load(sys.stdin)["versions"][0])' 2>/dev/null) \
      && { echo "$v"; return; }
    sleep 0.2
  done
  echo none
}
status_line() { build --target=Status --environment=soak >"$work/status.log" 2>&1 || true; grep -m1 "$model in soak" "$work/status.log" | sed 's/^.*port [0-9]*): //' || true; }
# Status is true: with the proxy left it says a rollout holds the port; with nothing of a rollout left, it lists the
# version that answered as a running live instance (layercake-<model>-soak-<version>-<id>) and the port answering.
status_true() {
  local answered="$1" note="$2" proxy
  proxy=$(docker ps -q --filter "label=io.layercake.model=$model" --filter "label=io.layercake.role=rollout-proxy")
  if [ -n "$proxy" ]; then [[ "$note" == *"a canary rollout holds port $port"* ]]
  elif [ "$target" = swarm ]; then
    grep -Eq "layercake-$model-soak\.[0-9]+ *\| *${answered//./\\.} *\|.*running" "$work/status.log" && [[ "$note" == *"replicas running"* ]]
  else
    grep -Eq "layercake-$model-soak-${answered//./\\.}-[0-9a-f]{6} .*running" "$work/status.log" && [[ "$note" == *"answers ready"* ]]; fi
}
load() { while :; do curl -s -o /dev/null -m 2 -X POST -H 'Content-Type: application/json' \
  --data '{"dataframe_records":[{"Island":"Biscoe","Beak Length (mm)":47.5,"Beak Depth (mm)":14.2,"Flipper Length (mm)":215,"Body Mass (g)":5000,"Sex":"FEMALE"}]}' \
  "127.0.0.1:$port/invocations"; sleep 0.05; done; }

echo "deploying 1.0.0 and building 1.1.0 in $work (model $model, port $port)..."
build --target=Deploy --environment=soak --verbosity=minimal >"$work/first.log" 2>&1 || { tail -n 30 "$work/first.log"; exit 1; }
sed -i 's/l2_regularization: 0.001/l2_regularization: 0.01/' "$pipeline"
build --target=BuildImage --verbosity=minimal >"$work/second.log" 2>&1 || { tail -n 30 "$work/second.log"; exit 1; }
load & load_pid=$!
trap 'kill $load_pid 2>/dev/null || true; cleanup' EXIT
failed=0
current=1.0.0
for i in $(seq 1 "$kills"); do
  # With a killed rollout's proxy left, answers come from both versions: the stable one is still the one before it.
  [ -n "$(docker ps -q --filter "label=io.layercake.model=$model" --filter "label=io.layercake.role=rollout-proxy")" ] \
    || current=$(served)
  next=1.1.0; [ "$current" = 1.1.0 ] && next=1.0.0
  delay=$(python3 -c "import random; print(round(random.uniform(0, $window), 1))")
  (cd "$work" && exec dotnet "$host" --target=Deploy --exclusive --environment=soak --model-version="$next" >"$work/kill-$i.log" 2>&1) &
  pid=$!
  sleep "$delay"
  kill -9 "$pid" 2>/dev/null && how="killed after ${delay}s" || how="finished before ${delay}s"
  wait "$pid" 2>/dev/null || true
  # A deploy that ended before its kill says why (promoted, aborted, refused): the line to read if every kill comes late.
  [[ "$how" == finished* ]] && how="$how ($(grep -m1 -E "canary .*(promoted|aborted)|Error|refus" "$work/kill-$i.log" | cut -c1-160))"
  answered=$(served); note=$(status_line)
  ok=yes; { [ "$answered" != none ] && status_true "$answered" "$note"; } || { ok=NO; failed=$((failed + 1)); }
  echo "kill $i: canary $current -> $next $how; port answers: $answered; Status: $note; true: $ok"
done
build --target=Deploy --exclusive --environment=soak --model-version=1.1.0 --verbosity=minimal >"$work/final.log" 2>&1 || true
answered=$(served); note=$(status_line)
{ [ "$answered" != none ] && status_true "$answered" "$note"; } || failed=$((failed + 1))
echo "after a last deploy: port answers: $answered; Status: $note"
echo "$((kills - failed < 0 ? 0 : kills)) kills, $failed failed check(s)"
[ "$failed" = 0 ]
