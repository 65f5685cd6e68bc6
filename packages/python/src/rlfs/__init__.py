"""rlfs: environments served by an rl-from-scratch server (protocol 1), as Gymnasium environments.

    import rlfs
    env = rlfs.make("GridWorld-v0", url="ws://127.0.0.1:8080/ws", size=5)
    obs, info = env.reset(seed=1)
    obs, reward, terminated, truncated, info = env.step(3)

With Gymnasium installed, ``RemoteEnv`` is a ``gymnasium.Env``, ``RemoteVectorEnv`` a ``gymnasium.vector.VectorEnv``
(Gymnasium >= 1.0), and importing rlfs registers ``rlfs/GridWorld-v0`` and ``rlfs/CartPole-v1``.
"""
from .client import DEFAULT_TIMEOUT, DEFAULT_URL
from .core import GYMNASIUM, GYMNASIUM_VECTOR, AutoresetMode
from .env import RemoteEnv
from .errors import ConnectionLost, RemoteError, RequestTimeout, RlfsError
from .registration import make, make_vec, register_builtin_envs, register_envs
from .split_vector_env import SplitVectorEnv
from .vector_env import RemoteVectorEnv

__version__ = "0.1.0"

__all__ = [
    "AutoresetMode",
    "ConnectionLost",
    "DEFAULT_TIMEOUT",
    "DEFAULT_URL",
    "GYMNASIUM",
    "GYMNASIUM_VECTOR",
    "RemoteEnv",
    "RemoteError",
    "RemoteVectorEnv",
    "RequestTimeout",
    "RlfsError",
    "SplitVectorEnv",
    "make",
    "make_vec",
    "register_envs",
]

register_builtin_envs()
