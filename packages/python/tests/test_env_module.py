"""Environments a user serves with `--env-module`: a test module of our own (Drift-v0, infinite bounds) and the
example MountainWalk-v0 (a draw list), through rlfs and through Gymnasium's registry."""
import math
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import rlfs
from conftest import ROOT, Server

DRIFT = Path(__file__).resolve().parent / "fixtures" / "drift-env.ts"
MOUNTAIN = ROOT / "examples" / "envs" / "mountain-walk.ts"


@pytest.fixture(scope="module")
def module_url():
    server = Server("--env-module", str(DRIFT), "--env-module", str(MOUNTAIN))
    yield server.url
    server.stop()


def test_the_server_lists_the_modules_environments(module_url):
    ids = rlfs.register_envs(module_url)
    assert {"GridWorld-v0", "CartPole-v1", "Drift-v0", "MountainWalk-v0"} <= set(ids)


def test_infinite_bounds_arrive_as_infinities(module_url):
    with rlfs.make("Drift-v0", url=module_url) as env:
        space = env.observation_space
        assert space.dtype == np.float32 and space.shape == (2,)
        assert space.low.tolist() == [-math.inf, 0.0] and space.high.tolist() == [math.inf, 1.0]
        assert env.action_space.n == 2
        assert env.remote_spec["options"]["step"] == 0.5 and env.remote_spec["maxEpisodeSteps"] == 20


@pytest.mark.parametrize("encoding", ["plain", "packed"])
def test_drift_moves_by_its_step_and_ends_two_away(module_url, encoding):
    with rlfs.make("Drift-v0", url=module_url, encoding=encoding, step=0.5) as env:
        obs, _ = env.reset(seed=3)
        x0 = float(obs[0])
        assert -0.5 <= x0 < 0.5 and obs[1] == 0 and obs.dtype == np.float32 and obs in env.observation_space
        # always right: x0 + 0.5 k reaches 2 after k = ceil((2 - x0) / 0.5) steps, 1 point per step before the last
        k = math.ceil((2 - x0) / 0.5)
        for step in range(1, k + 1):
            obs, reward, terminated, truncated, info = env.step(np.int64(1))
            assert math.isclose(obs[0], x0 + 0.5 * step, abs_tol=1e-6) and math.isclose(obs[1], step / 20, rel_tol=1e-6)
            assert terminated is (step == k) and truncated is False
            assert reward == (0.0 if step == k else 1.0)
        assert info["episode"] == {"return": k - 1, "length": k}


def test_a_vector_of_a_module_environment(module_url):
    with rlfs.make_vec("Drift-v0", 4, url=module_url) as envs:
        obs, _ = envs.reset(seed=10)
        assert obs.shape == (4, 2) and obs.dtype == np.float32
        for _ in range(5):  # left four times from [-0.5, 0.5) is always 2 away: every sub-env ended once
            obs, rewards, terminations, truncations, infos = envs.step(np.zeros(4, dtype=np.int64))
            if terminations.any():
                assert np.all(np.abs(np.stack(infos["final_obs"][terminations])[:, 0]) >= 2)
                assert np.all(np.abs(obs[terminations, 0]) < 0.5)  # already the next episode's start


def test_rgb_array_comes_from_the_modules_draw_list(module_url):
    with rlfs.make("MountainWalk-v0", url=module_url, render_mode="rgb_array") as env:
        env.reset(seed=1)
        frame = env.render()
        # viewport 1.1 x 1.3 world units on 600 px: 709 px high; the background is #dff1ff
        assert frame.shape == (709, 600, 3) and tuple(frame[5, 5]) == (0xDF, 0xF1, 0xFF)
        assert np.any(np.all(frame == (0xD6, 0x28, 0x28), axis=-1))  # the summit flag


def test_gymnasium_make_of_a_module_environment(module_url):
    stub = Path(__file__).resolve().parent / "gymnasium_stub"
    src = Path(__file__).resolve().parents[1] / "src"
    script = (
        "import sys, gymnasium, rlfs\n"
        "rlfs.register_envs(sys.argv[1])\n"
        "env = gymnasium.make('rlfs/Drift-v0')\n"
        "obs, info = env.reset(seed=1)\n"
        "assert obs in env.observation_space and isinstance(env.unwrapped, gymnasium.Env)\n"
        "print('ok', env.unwrapped.remote_spec['id'])\n"
    )
    result = subprocess.run([sys.executable, "-c", script, module_url], capture_output=True, text=True, timeout=120,
                            env={**os.environ, "PYTHONPATH": os.pathsep.join([str(src), str(stub)])})
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok Drift-v0"


def test_rgb_array_of_an_environment_without_a_draw_list_says_what_to_do(module_url):
    with rlfs.make("Drift-v0", url=module_url, render_mode="rgb_array") as env:
        env.reset(seed=1)
        with pytest.raises(NotImplementedError, match="Drift-v0 defines no draw list.*render_mode='ansi'"):
            env.render()
