#!/usr/bin/env bash
# Makes sure Debian's nginx is installed: a shadow deploy builds its mirroring proxy image (FROM scratch) from this
# machine's /usr/sbin/nginx and the libraries it loads, as the canary's HAProxy image is built.
#   scripts/ensure-nginx.sh
# Installs the nginx package only with the opt-in LAYERCAKE_INSTALL_DOCKER=1 (the one that lets the build install
# system packages), as root on a machine with apt-get, and never on a GitHub-hosted runner; otherwise it says what to
# do and exits 0 (a shadow deploy then fails with the same advice; every other deploy works without nginx).
set -u
logs="${TMPDIR:-/tmp}"
[ -x /usr/sbin/nginx ] && exit 0
advice="install Debian's nginx package (apt-get install nginx) for shadow deploys"
if [ "${LAYERCAKE_INSTALL_DOCKER:-}" != 1 ] || [ "$(id -u)" != "0" ] || ! command -v apt-get >/dev/null 2>&1 \
   || { [ "${GITHUB_ACTIONS:-}" = true ] && [ "${RUNNER_ENVIRONMENT:-}" = github-hosted ]; }; then
  echo "warning: nginx is not installed; $advice (or set LAYERCAKE_INSTALL_DOCKER=1 as root)." >&2
  exit 0
fi
echo "Installing nginx (Debian's nginx, LAYERCAKE_INSTALL_DOCKER=1)..."
{ apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nginx; } >"$logs/layercake-nginx-install.log" 2>&1 \
  || { echo "error: installing nginx failed; see $logs/layercake-nginx-install.log" >&2; exit 1; }
# The package may start a system nginx on port 80 with its default site; the build needs the binary only.
command -v systemctl >/dev/null 2>&1 && systemctl disable --now nginx >/dev/null 2>&1
exit 0
