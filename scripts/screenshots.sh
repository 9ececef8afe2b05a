#!/usr/bin/env bash
# Regenerates the pictures on README's first screen: docs/images/leaderboard.png (the console after Evaluate) and
# docs/images/training-report.png (artifacts/penguins/evaluate/report.html). Runs the default pipeline through
# Evaluate in a temporary copy of the repository, then takes headless screenshots with Chromium
# (Debian: apt-get install chromium).
#   scripts/screenshots.sh
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
root=$PWD
browser=$(command -v chromium || command -v chromium-browser || true)
[ -n "$browser" ] || { echo "error: Chromium is needed (Debian: apt-get install chromium)" >&2; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
git ls-files -z | tar --null -T - -cf - | tar -xf - -C "$work"
(cd "$work" && NO_COLOR=1 ./build.sh --target=Evaluate --verbosity=minimal) > "$work/console.txt" 2>&1 \
  || { cat "$work/console.txt" >&2; exit 1; }

# The console picture: Evaluate's tables as a terminal shows them (the leaderboard to the gates).
python3 - "$work/console.txt" "$work/console.html" <<'PY'
import html, re, sys
text = re.sub(r'\x1b\[[0-9;]*m', '', open(sys.argv[1], encoding='utf-8').read())
start = text.find('Leaderboard (')
end = text.find('\n\n', text.find('Gates for'))
body = text[start:end if end > 0 else None]
open(sys.argv[2], 'w', encoding='utf-8').write(
    '<!doctype html><meta charset="utf-8"><body style="margin:0;background:#1e1e1e">'
    '<pre style="margin:0;padding:16px;color:#e0e0e0;font:13px/1.35 DejaVu Sans Mono,monospace">'
    + html.escape('$ ./build.sh\n...\n' + body) + '</pre>')
PY
shoot() { "$browser" --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size="$2" --screenshot="$3" "file://$1" >/dev/null 2>&1; }
mkdir -p "$root/docs/images"
shoot "$work/console.html" 1480,560 "$root/docs/images/leaderboard.png"
shoot "$work/artifacts/penguins/evaluate/report.html" 1100,1700 "$root/docs/images/training-report.png"
echo "Wrote docs/images/leaderboard.png and docs/images/training-report.png"
