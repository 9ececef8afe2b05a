#!/usr/bin/env bash
# Makes sure Debian's HAProxy is installed: a canary deploy builds its traffic-splitting proxy image (FROM scratch)
# from this machine's /usr/sbin/haproxy and the libraries it loads, as the serving image is built from the host's.
#   scripts/ensure-haproxy.sh
# Installs the haproxy package only with the opt-in LAYERCAKE_INSTALL_DOCKER=1 (the one that lets the build install
# system packages), as root on a machine with apt-get, and never on a GitHub-hosted runner; otherwise it says what to
# do and exits 0 (a canary deploy then fails with the same advice; every other deploy works without HAProxy).
set -u
logs="${TMPDIR:-/tmp}"
[ -x /usr/sbin/haproxy ] && exit 0
advice="install Debian's haproxy package (apt-get install haproxy) for canary deploys"
if [ "${LAYERCAKE_INSTALL_DOCKER:-}" != 1 ] || [ "$(id -u)" != "0" ] || ! command -v apt-get >/dev/null 2>&1 \
   || { [ "${GITHUB_ACTIONS:-}" = true ] && [ "${RUNNER_ENVIRONMENT:-}" = github-hosted ]; }; then
  echo "warning: HAProxy is not installed; $advice (or set LAYERCAKE_INSTALL_DOCKER=1 as root)." >&2
  exit 0
fi
echo "Installing HAProxy (Debian's haproxy, LAYERCAKE_INSTALL_DOCKER=1)..."
{ apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends haproxy; } >"$logs/layercake-haproxy-install.log" 2>&1 \
  || { echo "error: installing haproxy failed; see $logs/layercake-haproxy-install.log" >&2; exit 1; }
# The package starts a system haproxy on port 80 with its default configuration; the build needs the binary only.
command -v systemctl >/dev/null 2>&1 && systemctl disable --now haproxy >/dev/null 2>&1
exit 0
