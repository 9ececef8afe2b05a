#!/usr/bin/env bash
# Regenerates the pictures on README's first screen: docs/images/leaderboard.png (the console after Evaluate) and
# docs/images/training-report.png (artifacts/penguins/evaluate/report.html). Runs the default pipeline through
# Evaluate in a temporary copy of the repository, then takes headless screenshots with Chromium
# (Debian: apt-get install chromium).
# To check the reports' layout, it also shoots every report at 1,200 and 800 px wide into artifacts/screenshots/:
# the training report, the compare report (a second Evaluate with another l2_regularization, then Compare), and the
# monitor report when a prediction log is given (a file or folder, as Monitor --log takes).
#   scripts/screenshots.sh [PREDICTION_LOG]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
root=$PWD
browser=$(command -v chromium || command -v chromium-browser || true)
[ -n "$browser" ] || { echo "error: Chromium is needed (Debian: apt-get install chromium)" >&2; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
git ls-files -z | tar --null -T - -cf - | tar -xf - -C "$work"
# Under a pseudo-terminal (script), so the console is the one a person sees: Spectre tables in colour.
(cd "$work" && script -qec "stty cols 150 rows 60; ./build.sh --target=Evaluate" /dev/null) > "$work/console.txt" 2>&1 \
  || { cat "$work/console.txt" >&2; exit 1; }

# The console picture: Evaluate's tables as a terminal shows them (the leaderboard to the gates).
python3 - "$work/console.txt" "$work/console.html" <<'PY'
import html, re, sys
raw = open(sys.argv[1], encoding='utf-8', errors='replace').read().replace('\r', '')
raw = re.sub(r'\x1b\[[0-9;?]*[A-Za-ln-z]|\x1b\][^\x07]*\x07', '', raw)  # cursor and title codes; colours stay
plain = re.sub(r'\x1b\[[0-9;]*m', '', raw)
start, end = plain.find('Leaderboard ('), plain.find('TearDown')
# Cut the coloured text where the plain text starts and ends, counting only printed characters.
def index(printed):
    count = i = 0
    while i < len(raw) and count < printed:
        m = re.match(r'\x1b\[[0-9;]*m', raw[i:])
        if m: i += len(m.group(0)); continue
        count += 1; i += 1
    return i
body = raw[index(start):index(end if end > 0 else len(plain))].rstrip(' \n─')
colours = {'30': '#555', '31': '#f44', '32': '#4c4', '33': '#dd4', '34': '#69f', '35': '#d6d', '36': '#4cc', '37': '#ddd', '90': '#888', '91': '#f66', '92': '#6e6', '93': '#ee6', '94': '#8af', '96': '#6dd', '97': '#fff'}
out, open_spans = [], 0
for part in re.split(r'(\x1b\[[0-9;]*m)', body):
    m = re.fullmatch(r'\x1b\[([0-9;]*)m', part)
    if not m:
        out.append(html.escape(part)); continue
    codes = [c for c in m.group(1).split(';') if c]
    # 256-colour codes (38;5;N) for the 16 basic colours, as Spectre writes them.
    while '38' in codes and codes.index('38') + 2 < len(codes) + 0 and codes[codes.index('38') + 1] == '5':
        i = codes.index('38'); n = int(codes[i + 2])
        codes[i:i + 3] = [str(30 + n) if n < 8 else str(90 + n - 8) if n < 16 else '37']
    if not codes or codes == ['0']:
        out.append('</span>' * open_spans); open_spans = 0; continue
    style = ';'.join(('font-weight:bold' if c == '1' else f'color:{colours[c]}') for c in codes if c == '1' or c in colours)
    out.append(f'<span style="{style}">'); open_spans += 1
out.append('</span>' * open_spans)
open(sys.argv[2], 'w', encoding='utf-8').write(
    '<!doctype html><meta charset="utf-8"><body style="margin:0;background:#1e1e1e">'
    '<pre style="margin:0;padding:16px;color:#e0e0e0;font:13px/1.3 DejaVu Sans Mono,monospace">'
    + '<span style="color:#888">$ ./build.sh --target=Evaluate</span>\n' + ''.join(out) + '</pre>')
PY
shoot() { "$browser" --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size="$2" --screenshot="$3" "file://$1" >/dev/null 2>&1; }
mkdir -p "$root/docs/images"
shoot "$work/console.html" 1240,900 "$root/docs/images/leaderboard.png"
shoot "$work/artifacts/penguins/evaluate/report.html" 1200,1700 "$root/docs/images/training-report.png"
echo "Wrote docs/images/leaderboard.png and docs/images/training-report.png"

# Every report at the two widths a reader has: a laptop window (1,200 px) and a narrow one (800 px).
(cd "$work" && sed -i 's/l2_regularization: 0.001/l2_regularization: 0.01/' pipelines/penguins.yaml \
  && ./build.sh --target=Evaluate && ./build.sh --target=Compare --runs=last~1,last) > "$work/compare.txt" 2>&1 \
  || { cat "$work/compare.txt" >&2; exit 1; }
reports=("training-report:$work/artifacts/penguins/evaluate/report.html" "compare:$work/artifacts/compare/compare.html")
if [ $# -gt 0 ]; then
  log=$(realpath "$1")
  (cd "$work" && ./build.sh --target=Package --exclusive >/dev/null 2>&1 || true; ./build.sh --target=Monitor --log="$log") > "$work/monitor.txt" 2>&1 \
    || [ $? -eq 3 ] || { cat "$work/monitor.txt" >&2; exit 1; }
  reports+=("monitor:$work/artifacts/monitor/penguins/report.html")
fi
mkdir -p "$root/artifacts/screenshots"
for report in "${reports[@]}"; do
  for width in 1200 800; do
    shoot "${report#*:}" "$width,2400" "$root/artifacts/screenshots/${report%%:*}-$width.png"
  done
done
echo "Wrote artifacts/screenshots/: ${#reports[@]} report(s) at 1200 and 800 px"
