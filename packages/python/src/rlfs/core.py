"""The base classes rlfs builds on: Gymnasium's when it imports, else local ones with the same surface.

``Env`` is ``gymnasium.Env`` (any version >= 0.29) or ``LocalEnv``; ``VectorEnv`` is ``gymnasium.vector.VectorEnv`` on
Gymnasium >= 1.0 (whose vector API rlfs follows) or ``LocalVectorEnv``. So ``RemoteEnv`` is a ``gymnasium.Env``
exactly when Gymnasium is installed, and the same class is tested either way.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum

import numpy as np

try:
    import gymnasium as _gym
except ImportError:  # Gymnasium is optional
    _gym = None

GYMNASIUM = _gym is not None
GYMNASIUM_VECTOR = GYMNASIUM and int(str(getattr(_gym, "__version__", "0")).split(".")[0]) >= 1


def np_random(seed=None):
    """A Generator seeded as ``gymnasium.utils.seeding.np_random`` seeds it: ``(generator, seed)``."""
    if seed is not None and not (isinstance(seed, (int, np.integer)) and seed >= 0):
        raise ValueError(f"seed: expected a non-negative integer, got {seed!r}")
    seed_seq = np.random.SeedSequence(seed)
    return np.random.Generator(np.random.PCG64(seed_seq)), int(seed_seq.entropy)


class LocalEnv:
    """What rlfs uses of ``gymnasium.Env``: attributes, seeding in ``reset``, ``close``, ``unwrapped``, context manager."""

    metadata = {"render_modes": []}
    render_mode = None
    spec = None
    observation_space = None
    action_space = None
    _np_random = None
    _np_random_seed = None

    def reset(self, *, seed=None, options=None):
        if seed is not None:
            self._np_random, self._np_random_seed = np_random(seed)

    def step(self, action):
        raise NotImplementedError

    def render(self):
        raise NotImplementedError

    def close(self):
        pass

    @property
    def unwrapped(self):
        return self

    @property
    def np_random(self):
        if self._np_random is None:
            self._np_random, self._np_random_seed = np_random()
        return self._np_random

    @property
    def np_random_seed(self):
        if self._np_random_seed is None:
            self._np_random, self._np_random_seed = np_random()
        return self._np_random_seed

    def __enter__(self):
        return self

    def __exit__(self, *args):
        self.close()
        return False


class AutoresetMode(Enum):
    """Mirrors ``gymnasium.vector.AutoresetMode``: rlfs vector envs are always SAME_STEP."""

    NEXT_STEP = "NextStep"
    SAME_STEP = "SameStep"
    DISABLED = "Disabled"


class LocalVectorEnv:
    """What rlfs uses of ``gymnasium.vector.VectorEnv`` (>= 1.0): attributes, seeding, ``close`` -> ``close_extras``."""

    metadata = {}
    spec = None
    render_mode = None
    closed = False
    _np_random = None
    _np_random_seed = None

    def reset(self, *, seed=None, options=None):
        if seed is not None:
            self._np_random, self._np_random_seed = np_random(seed)

    def step(self, actions):
        raise NotImplementedError

    def render(self):
        raise NotImplementedError

    def close(self, **kwargs):
        if self.closed:
            return
        self.close_extras(**kwargs)
        self.closed = True

    def close_extras(self, **kwargs):
        pass

    @property
    def unwrapped(self):
        return self

    @property
    def np_random(self):
        if self._np_random is None:
            self._np_random, self._np_random_seed = np_random()
        return self._np_random

    def __enter__(self):
        return self

    def __exit__(self, *args):
        self.close()
        return False


@dataclass
class LocalEnvSpec:
    """The fields of ``gymnasium.envs.registration.EnvSpec`` that describe an rlfs environment."""

    id: str
    entry_point: str = "rlfs:make"
    nondeterministic: bool = False
    max_episode_steps: int | None = None
    kwargs: dict = field(default_factory=dict)
    vector_entry_point: str | None = "rlfs:make_vec"


if GYMNASIUM:
    Env = _gym.Env
    from gymnasium.envs.registration import EnvSpec
else:
    Env = LocalEnv
    EnvSpec = LocalEnvSpec

if GYMNASIUM_VECTOR:
    from gymnasium.vector import VectorEnv

    try:
        from gymnasium.vector import AutoresetMode  # noqa: F811 (Gymnasium >= 1.1 has it; 1.0 uses the string)
    except ImportError:
        pass
else:
    VectorEnv = LocalVectorEnv
