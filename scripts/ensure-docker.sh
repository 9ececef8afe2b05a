#!/usr/bin/env bash
# Makes sure a Docker engine answers before targets that need one (BuildImage, SmokeTest, Deploy, Default, Test).
# Where none runs and this is a Debian-like machine with root, it installs Debian's docker.io and starts
# dockerd in the background. Elsewhere it only says what to do; the Docker tasks then fail with that advice.
set -u
# A switch between versions closes the old listener of a SO_REUSEPORT group; with tcp_migrate_req the kernel
# moves connections already queued on it to the new one instead of resetting them (Linux 5.14+).
if [ -w /proc/sys/net/ipv4/tcp_migrate_req ] && [ "$(cat /proc/sys/net/ipv4/tcp_migrate_req)" = "0" ]; then
  echo 1 > /proc/sys/net/ipv4/tcp_migrate_req && echo "Set net.ipv4.tcp_migrate_req=1 (no failed requests when a deploy switches versions)"
fi
docker info >/dev/null 2>&1 && exit 0

if [ "$(id -u)" != "0" ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "warning: no Docker engine answers; start one (e.g. Docker Desktop, or 'sudo dockerd &') for the image and smoke-test tasks." >&2
  exit 0
fi

if ! command -v dockerd >/dev/null 2>&1; then
  echo "Installing Docker (Debian's docker.io)..."
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker.io; } >/tmp/layercake-docker-install.log 2>&1 \
    || { echo "error: installing docker.io failed; see /tmp/layercake-docker-install.log" >&2; exit 1; }
fi

echo "Starting dockerd in the background (log: /tmp/dockerd.log)..."
nohup dockerd >/tmp/dockerd.log 2>&1 &
for _ in $(seq 1 60); do
  docker info >/dev/null 2>&1 && exit 0
  sleep 1
done
echo "error: dockerd did not start; the end of its log:" >&2
tail -n 30 /tmp/dockerd.log >&2
exit 1
