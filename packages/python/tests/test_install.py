"""docs/python.md's offline install: a virtual environment that sees Debian's packages builds rlfs with pip."""
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1]


def test_pip_installs_the_package_into_a_venv(tmp_path):
    pytest.importorskip("ensurepip", reason="venv needs ensurepip (apt-get install python3-venv)")
    pytest.importorskip("setuptools", reason="the build needs setuptools (apt-get install python3-setuptools)")
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--system-site-packages", str(venv)], check=True, timeout=120)
    pip = subprocess.run([str(venv / "bin" / "pip"), "install", "--no-build-isolation", "--no-index", "-e", str(PACKAGE)],
                         capture_output=True, text=True, timeout=300)
    assert pip.returncode == 0, pip.stdout + pip.stderr
    # from another folder, without PYTHONPATH: the venv's python finds the installed package
    check = subprocess.run([str(venv / "bin" / "python"), "-c", "import rlfs; print(rlfs.__version__, rlfs.__file__)"],
                           capture_output=True, text=True, timeout=60, cwd=tmp_path, env={"PATH": "/usr/bin:/bin"})
    assert check.returncode == 0, check.stderr
    version, path = check.stdout.split()
    assert version == "0.1.0" and Path(path) == PACKAGE / "src" / "rlfs" / "__init__.py"
