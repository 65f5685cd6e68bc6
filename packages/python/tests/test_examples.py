"""The Python examples, run as a user runs them, against the session's server (they need torch: python3-torch)."""
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
EXAMPLES = ROOT / "examples" / "python"
SRC = Path(__file__).resolve().parents[1] / "src"

pytest.importorskip("torch", reason="the examples need torch (apt-get install python3-torch)")


def run(script, *args, timeout=600):
    result = subprocess.run(
        [sys.executable, str(EXAMPLES / script), *args], capture_output=True, text=True, timeout=timeout,
        env={**os.environ, "PYTHONPATH": str(SRC)}, cwd=ROOT,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def test_dqn_torch_reaches_95_percent_greedy_success_on_5x5(url):
    out = run("dqn_torch.py", "--url", url, "--min-success", "0.95")
    success = float(re.search(r"greedy success ([\d.]+) over 100 episodes", out).group(1))
    assert success >= 0.95, out
    moves, shortest = map(float, re.search(r"mean moves ([\d.]+) \(shortest path ([\d.]+)\)", out).groups())
    assert shortest <= moves <= shortest + 0.5, out


def test_seed_dqn_trains_online_and_reports_like_npm_run_eval(url):
    out = run("seed_dqn.py", "--url", url, "--steps", "300", "--eval-episodes", "5")
    trained = re.search(r"trained 300 steps, (\d+) episodes \((\d+) reached the goal\)", out)
    assert trained and int(trained.group(2)) <= int(trained.group(1)), out
    success = float(re.search(r"greedy success ([\d.]+) over 5 episodes", out).group(1))
    assert success in (0.0, 0.2, 0.4, 0.6, 0.8, 1.0), out
