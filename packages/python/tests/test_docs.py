"""The Python examples of docs/python.md, run against the session's server as a reader runs them.

The docs test (tools/docs-test) runs a page's blocks without rlfs importable, so these blocks are marked
`<!-- not run: needs rlfs importable; packages/python/tests/test_docs.py runs it ... -->` and run here instead.
"""
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
PAGE = ROOT / "docs" / "python.md"
SRC = Path(__file__).resolve().parents[1] / "src"
MARK = "packages/python/tests/test_docs.py runs it"
BLOCK = re.compile(r"<!-- not run: ([^\n]*?) -->\n```python\n(.*?)```", re.S)


def blocks():
    text = PAGE.read_text()
    found = []
    for match in BLOCK.finditer(text):
        if MARK in match.group(1):
            line = text[: match.start()].count("\n") + 2
            found.append(pytest.param(match.group(2), id=f"python.md:{line}"))
    return found


def test_the_page_has_examples_for_this_test():
    assert len(blocks()) >= 4


@pytest.mark.parametrize("code", blocks())
def test_example_runs(code, url, tmp_path):
    code = code.replace("ws://127.0.0.1:8080/ws", url)
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, cwd=tmp_path,
                            env={**os.environ, "PYTHONPATH": str(SRC)})
    assert result.returncode == 0, result.stdout + result.stderr
