#!/usr/bin/env bash
# Makes sure a Docker engine answers before a build target that needs one:
#   scripts/ensure-docker.sh [BUILD ARGUMENTS...]
# takes the build's own arguments (build.sh and build.ps1 pass theirs) and does nothing unless their target needs
# an engine: BuildImage, SmokeTest, Deploy, Release, Default (also when no target is given), Promote, Rollback,
# Status, Test, and Monitor with --environment. --tree, --description, --dryrun and --help need none, nor does any
# other target, a mistyped one included (the build then reports it without touching Docker).
#
# When an engine is needed and none answers:
#   - dockerd is installed and this is root: it is started in the background (always; nothing is installed).
#   - dockerd is missing: Debian's docker.io is installed only with the explicit opt-in LAYERCAKE_INSTALL_DOCKER=1,
#     as root on a machine with apt-get, and never on a GitHub-hosted runner (GITHUB_ACTIONS=true with
#     RUNNER_ENVIRONMENT=github-hosted), whose image has its own engine.
#   - otherwise it only says what to do (exit 0); the Docker tasks then fail with that advice.
# Installing system packages is never implied by running the build: README's first command on a fresh machine sets
# the opt-in, and .ci/run sets it for the CI machine.
set -u
logs="${TMPDIR:-/tmp}"

needs_engine=yes
target=Default
environment=no
previous=
for arg in "$@"; do
  case "$arg" in
    --target=*) target="${arg#--target=}" ;;
    --environment=*) environment=yes ;;
    --tree|--description|--descriptions|--dryrun|--noop|--whatif|--help|-h) needs_engine=no ;;
  esac
  [ "$previous" = "--target" ] && target="$arg"
  [ "$previous" = "--environment" ] && environment=yes
  previous="$arg"
done
case "$(echo "$target" | tr '[:upper:]' '[:lower:]')" in
  buildimage|smoketest|deploy|release|default|promote|rollback|status|test) ;;
  monitor) [ "$environment" = yes ] || needs_engine=no ;;
  *) needs_engine=no ;;
esac
[ "$needs_engine" = yes ] || exit 0

# A switch between versions closes the old listener of a SO_REUSEPORT group; with tcp_migrate_req the kernel
# moves connections already queued on it to the new one instead of resetting them (Linux 5.14+).
if [ -w /proc/sys/net/ipv4/tcp_migrate_req ] && [ "$(cat /proc/sys/net/ipv4/tcp_migrate_req)" = "0" ]; then
  echo 1 > /proc/sys/net/ipv4/tcp_migrate_req && echo "Set net.ipv4.tcp_migrate_req=1 (no failed requests when a deploy switches versions)"
fi
# A canary deploy builds its proxy image from Debian's HAProxy, a shadow deploy from Debian's nginx; installed with
# the same opt-in as docker.io.
case "$(echo "$target" | tr '[:upper:]' '[:lower:]')" in
  deploy|promote|rollback|test)
    "$BASH" "${BASH_SOURCE[0]%/*}/ensure-haproxy.sh" || exit 1
    "$BASH" "${BASH_SOURCE[0]%/*}/ensure-nginx.sh" || exit 1 ;;
esac
docker info >/dev/null 2>&1 && exit 0

advice="start one (Docker Desktop, or 'sudo dockerd &') for the image, smoke-test and deployment tasks"
if [ "$(id -u)" != "0" ]; then
  echo "warning: no Docker engine answers; $advice." >&2
  exit 0
fi

if ! command -v dockerd >/dev/null 2>&1; then
  if [ "${GITHUB_ACTIONS:-}" = true ] && [ "${RUNNER_ENVIRONMENT:-}" = github-hosted ]; then
    echo "warning: no Docker engine answers on this GitHub-hosted runner; nothing is installed here." >&2
    exit 0
  fi
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "warning: no Docker engine is installed; install one and $advice." >&2
    exit 0
  fi
  if [ "${LAYERCAKE_INSTALL_DOCKER:-}" != 1 ]; then
    echo "warning: no Docker engine is installed; set LAYERCAKE_INSTALL_DOCKER=1 to let the build install Debian's docker.io (e.g. LAYERCAKE_INSTALL_DOCKER=1 ./build.sh), or install one yourself." >&2
    exit 0
  fi
  echo "Installing Docker (Debian's docker.io, LAYERCAKE_INSTALL_DOCKER=1)..."
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker.io; } >"$logs/layercake-docker-install.log" 2>&1 \
    || { echo "error: installing docker.io failed; see $logs/layercake-docker-install.log" >&2; exit 1; }
fi

echo "Starting dockerd in the background (log: $logs/dockerd.log)..."
nohup dockerd >"$logs/dockerd.log" 2>&1 &
for _ in $(seq 1 60); do
  docker info >/dev/null 2>&1 && exit 0
  sleep 1
done
echo "error: dockerd did not start; the end of its log:" >&2
tail -n 30 "$logs/dockerd.log" >&2
exit 1
