import importlib
from dataclasses import dataclass, field


@dataclass
class EnvSpec:
    id: str
    entry_point: object = None
    reward_threshold: float = None
    nondeterministic: bool = False
    max_episode_steps: int = None
    order_enforce: bool = True
    disable_env_checker: bool = False
    kwargs: dict = field(default_factory=dict)
    vector_entry_point: object = None


registry = {}


def register(id, entry_point=None, vector_entry_point=None, **fields):
    registry[id] = EnvSpec(id=id, entry_point=entry_point, vector_entry_point=vector_entry_point, **fields)


def _load(name):
    module, attr = name.split(":")
    return getattr(importlib.import_module(module), attr)


def make(id, **kwargs):
    spec = registry[id]
    env = _load(spec.entry_point)(**{**spec.kwargs, **kwargs})
    env.unwrapped.spec = spec
    return env


def make_vec(id, num_envs=1, vectorization_mode=None, **kwargs):
    spec = registry[id]
    env = _load(spec.vector_entry_point)(num_envs=num_envs, **{**spec.kwargs, **kwargs})
    env.unwrapped.spec = spec
    return env
