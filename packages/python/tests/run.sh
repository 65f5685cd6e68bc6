#!/usr/bin/env bash
# The Nx `test` target of packages/python: pytest with src/ on PYTHONPATH (nothing installed), against a real server.
# Skips with one line when no python3 here has the modules; writes its counts where tools/scripts/test-summary.ts
# sums every suite's results.
set -euo pipefail
cd "$(dirname "$0")/.."
modules='import numpy, msgpack, websocket, pytest'
python=''
results="$PWD/../../test-results/jest/python.json"
# Debian's first (a pyenv python3 earlier on PATH lacks Debian's modules), or only RLFS_PYTHON when set.
candidates=(/usr/bin/python3 python3)
[[ -n ${RLFS_PYTHON:-} ]] && candidates=("$RLFS_PYTHON")
for candidate in "${candidates[@]}"; do
  if command -v "$candidate" >/dev/null && "$candidate" -c "$modules" 2>/dev/null; then python=$candidate; break; fi
done
if [[ -z $python ]]; then
  why="no python3 with numpy, msgpack, websocket-client and pytest: apt-get install python3-numpy python3-msgpack python3-websocket python3-pytest python3-torch python3-venv"
  echo "python: skipped: $why"
  # One skipped entry in the shape test-summary.ts reads, so the suite's closing line says what was skipped and why.
  mkdir -p "$(dirname "$results")"
  printf '{"numPassedTests":0,"numFailedTests":0,"numPendingTests":1,"numFailedTestSuites":0,"testResults":[{"name":"packages/python/tests","assertionResults":[{"status":"pending","title":"the rlfs suite","ancestorTitles":["skipped: %s"]}]}]}\n' "$why" > "$results"
  exit 0
fi
export RLFS_PYTEST_RESULTS="$results"
export PYTHONPATH="$PWD/src${PYTHONPATH:+:$PYTHONPATH}" PYTHONDONTWRITEBYTECODE=1
exec "$python" -m pytest -q -p no:cacheprovider tests "$@"
