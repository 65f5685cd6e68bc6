#!/usr/bin/env bash
# The Nx `test` target of packages/python: pytest with src/ on PYTHONPATH (nothing installed), against a real server.
# Skips with one line when no python3 here has the modules; writes its counts where tools/scripts/test-summary.ts
# sums every suite's results.
set -euo pipefail
cd "$(dirname "$0")/.."
modules='import numpy, msgpack, websocket, pytest'
python=''
for candidate in /usr/bin/python3 python3; do  # Debian's first: a pyenv python3 earlier on PATH lacks Debian's modules
  if command -v "$candidate" >/dev/null && "$candidate" -c "$modules" 2>/dev/null; then python=$candidate; break; fi
done
if [[ -z $python ]]; then
  echo "python: skipped: no python3 with numpy, msgpack, websocket-client and pytest (apt-get install python3-numpy python3-msgpack python3-websocket python3-pytest python3-torch)"
  exit 0
fi
export RLFS_PYTEST_RESULTS="$PWD/../../test-results/jest/python.json"
export PYTHONPATH="$PWD/src${PYTHONPATH:+:$PYTHONPATH}" PYTHONDONTWRITEBYTECODE=1
exec "$python" -m pytest -q -p no:cacheprovider tests "$@"
