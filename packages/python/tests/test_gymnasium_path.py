"""rlfs with Gymnasium importable: the classes users get derive from Gymnasium's and register with its registry.

Gymnasium cannot be installed where this suite runs, so a small stand-in written from its documented API
(tests/gymnasium_stub) is put first on sys.path of a fresh interpreter. On a machine with the real Gymnasium the same
script runs against it (RLFS_TEST_REAL_GYMNASIUM=1).
"""
import os
import subprocess
import sys
import textwrap
from pathlib import Path

HERE = Path(__file__).resolve().parent

SCRIPT = textwrap.dedent("""
    import sys
    import numpy as np
    import gymnasium
    import rlfs

    url = sys.argv[1]
    assert rlfs.GYMNASIUM and rlfs.GYMNASIUM_VECTOR
    assert issubclass(rlfs.RemoteEnv, gymnasium.Env)
    assert issubclass(rlfs.RemoteVectorEnv, gymnasium.vector.VectorEnv)

    # importing rlfs registered the built-in ids; gymnasium.make passes url and options through
    env = gymnasium.make("rlfs/GridWorld-v0", url=url, size=4)
    assert isinstance(env.unwrapped, rlfs.RemoteEnv)
    assert isinstance(env.observation_space, gymnasium.spaces.Box)
    assert isinstance(env.action_space, gymnasium.spaces.Discrete)
    assert env.observation_space.shape == (16,) and env.observation_space.dtype == np.int8
    assert env.unwrapped.spec.id == "rlfs/GridWorld-v0"
    obs, info = env.reset(seed=2)
    assert obs in env.observation_space
    obs, reward, terminated, truncated, info = env.step(env.action_space.sample())
    assert obs in env.observation_space and isinstance(reward, float)
    env.close()

    envs = gymnasium.make_vec("rlfs/GridWorld-v0", num_envs=3, vectorization_mode="vector_entry_point", url=url)
    assert isinstance(envs, gymnasium.vector.VectorEnv)
    assert envs.metadata["autoreset_mode"] == gymnasium.vector.AutoresetMode.SAME_STEP
    assert isinstance(envs.action_space, gymnasium.spaces.MultiDiscrete)
    obs, infos = envs.reset(seed=1)
    assert obs.shape == (3, 25) and obs in envs.observation_space
    obs, rewards, terminations, truncations, infos = envs.step(envs.action_space.sample())
    assert rewards.shape == (3,)
    envs.close()

    # every id the server lists, registered with the server's url as default
    ids = rlfs.register_envs(url)
    assert "GridWorld-v0" in ids
    for env_id in ids:
        assert gymnasium.registry["rlfs/" + env_id].kwargs["url"] == url
    env = gymnasium.make("rlfs/GridWorld-v0")
    assert env.unwrapped.url == url
    env.close()
    print("gymnasium path ok:", ",".join(ids))
""")


def test_gymnasium_code_path(url):
    real = os.environ.get("RLFS_TEST_REAL_GYMNASIUM") == "1"
    paths = [str(HERE.parent / "src")] + ([] if real else [str(HERE / "gymnasium_stub")])
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT, url], capture_output=True, text=True, timeout=120,
        env={**os.environ, "PYTHONPATH": os.pathsep.join(paths + [os.environ.get("PYTHONPATH", "")])},
    )
    assert result.returncode == 0, result.stderr
    assert "gymnasium path ok: " in result.stdout and "GridWorld-v0" in result.stdout


def test_without_gymnasium_the_local_bases_are_used():
    import pytest

    import rlfs
    import rlfs.core

    if rlfs.GYMNASIUM:
        pytest.skip("Gymnasium is installed here: test_gymnasium_code_path covers it")
    assert issubclass(rlfs.RemoteEnv, rlfs.core.LocalEnv)
    assert issubclass(rlfs.RemoteVectorEnv, rlfs.core.LocalVectorEnv)
