"""A tiny stand-in for Gymnasium (>= 1.0), written from its documented API, so rlfs's Gymnasium code path runs in
tests on machines where Gymnasium cannot be installed. Only what rlfs touches: Env, spaces, vector, registration."""
from gymnasium import spaces, vector
from gymnasium.core import Env
from gymnasium.envs.registration import EnvSpec, make, make_vec, register, registry

__version__ = "1.1.0"
__all__ = ["Env", "EnvSpec", "make", "make_vec", "register", "registry", "spaces", "vector"]
