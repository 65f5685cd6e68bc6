"""RemoteVectorEnv: N sub-environments stepped together in one server session (Gymnasium's vector API, >= 1.0)."""
import numpy as np

from .client import DEFAULT_TIMEOUT, Connection
from .codec import is_packed, pack_array, unpack_array
from .core import AutoresetMode, EnvSpec, VectorEnv
from .env import ENCODINGS, RENDER_MODES, _metrics
from .errors import RlfsError
from .rendering import RENDER_FPS, RgbRenderer
from .spaces import Discrete, batch_space, space_from_spec


class RemoteVectorEnv(VectorEnv):
    """``num_envs`` copies of one environment in one vector session, autoreset in the same step.

    ``step(actions)`` returns batched NumPy arrays ``(observations, rewards, terminations, truncations, infos)``. A
    sub-env whose episode ended is reset within that step, as ``metadata["autoreset_mode"]`` (SAME_STEP) says: its row
    of ``observations`` already starts the next episode, and ``infos["final_obs"][i]`` and
    ``infos["final_info"]["episode"]`` (``return``, ``length``) describe the one that ended; ``infos["_final_obs"]`` is
    the mask of sub-envs that ended. ``reset(seed=S)`` seeds sub-env i with ``S + i``.

    With ``encoding="packed"`` (the default) observations, rewards and flags arrive as raw little-endian bytes that
    become arrays without a per-element Python loop; the packed encoding sends no per-step info beyond the final_*
    keys. ``encoding="plain"`` also gives each step's info (``agent``, ``goal``, ``hitWall`` for GridWorld).
    """

    metadata = {"autoreset_mode": AutoresetMode.SAME_STEP, "render_modes": list(RENDER_MODES), "render_fps": RENDER_FPS}

    def __init__(self, url=None, env_id="GridWorld-v0", num_envs=1, options=None, *, token=None,
                 timeout=DEFAULT_TIMEOUT, encoding="packed", seed=None, render_mode=None, name=None):
        if isinstance(num_envs, bool) or not isinstance(num_envs, (int, np.integer)) or num_envs < 1:
            raise ValueError(f"num_envs: expected an integer >= 1, got {num_envs!r}")
        if encoding not in ENCODINGS:
            raise ValueError(f"encoding: expected one of {', '.join(ENCODINGS)}, got {encoding!r}")
        if render_mode is not None and render_mode not in RENDER_MODES:
            raise ValueError(f"render_mode: expected None or one of {', '.join(RENDER_MODES)}, got {render_mode!r}")
        if options is not None and not isinstance(options, dict):
            raise ValueError(f"options: expected a dict of the environment's options, got {type(options).__name__}")
        self.num_envs = int(num_envs)
        self.render_mode = render_mode
        self._packed = encoding == "packed"
        self._connection = Connection(url, token=token, timeout=timeout, name=name)
        make = {"type": "make", "env": env_id, "numEnvs": self.num_envs, "encoding": encoding}
        if options:
            make["options"] = options
        if seed is not None:
            make["seed"] = int(seed)
        try:
            made = self._connection.request(make)
        except RlfsError:
            self._connection.close()
            raise
        self.remote_spec = made["spec"]
        self.session = made["session"]
        self.url = self._connection.url
        self.single_observation_space = space_from_spec(self.remote_spec["observationSpace"])
        self.single_action_space = space_from_spec(self.remote_spec["actionSpace"])
        self.observation_space = batch_space(self.single_observation_space, self.num_envs)
        self.action_space = batch_space(self.single_action_space, self.num_envs)
        self.spec = EnvSpec(id=f"rlfs/{env_id}", entry_point="rlfs:make", nondeterministic=False,
                            max_episode_steps=None, kwargs={"env_id": env_id, "url": self.url, **(options or {})})
        self._discrete_actions = isinstance(self.single_action_space, Discrete)
        self._rgb = RgbRenderer(self._connection, env_id)

    def reset(self, *, seed=None, options=None):
        """Resets every sub-env: ``(observations, infos)``. ``seed=S`` (or ``[S, S+1, ...]``) seeds sub-env i with S+i."""
        seed = self._first_seed(seed)
        super().reset(seed=seed)
        message = {"type": "reset"}
        if seed is not None:
            message["seed"] = seed
        if options:
            message["options"] = options
        observations, entries = self._read_reset(self._connection.request(message))
        infos = {}
        for index, info in entries:
            infos = self._add_info(infos, info, index)
        return observations, infos

    def _read_reset(self, reply):
        """A reset reply as the observations plus ``[(sub-env index, info), ...]``."""
        entries = [(i, _as_arrays(info)) for i, info in enumerate(reply.get("info") or [])]
        return self._observations(reply["observation"]), entries

    def step(self, actions):
        """One step of every sub-env with ``actions`` (length num_envs)."""
        reply = self._connection.request({"type": "step", "action": self._actions(actions)})
        observations, rewards, terminations, truncations, entries = self._read_step(reply)
        infos = {}
        for index, info in entries:
            infos = self._add_info(infos, info, index)
        return observations, rewards, terminations, truncations, infos

    def _read_step(self, reply):
        """A step reply as arrays plus ``[(sub-env index, info), ...]`` in the order they join the batched infos."""
        observations = self._observations(reply["observation"])
        entries = []
        if "ended" in reply:  # packed: no per-step info, one entry per sub-env whose episode ended
            rewards = unpack_array(reply["reward"]).astype(np.float64, copy=False)
            terminations = unpack_array(reply["terminated"]).astype(bool)
            truncations = unpack_array(reply["truncated"]).astype(bool)
            for ended in reply["ended"]:
                final = {"final_obs": self._single_observation(ended["finalObservation"]),
                         "final_info": {"episode": _episode(ended["episode"])}}
                entries.append((int(ended["index"]), final))
        else:
            rewards = np.asarray(reply["reward"], dtype=np.float64)
            terminations = np.asarray(reply["terminated"], dtype=bool)
            truncations = np.asarray(reply["truncated"], dtype=bool)
            for i, info in enumerate(reply.get("info") or []):
                info = dict(info)
                final_observation = info.pop("finalObservation", None)
                episode = info.pop("episode", None)
                if final_observation is not None:
                    final = {"final_obs": self._single_observation(final_observation),
                             "final_info": {"episode": _episode(episode)}}
                    entries.append((i, final))
                entries.append((i, _as_arrays(info)))
        return observations, rewards, terminations, truncations, entries

    def render(self):
        """One frame per sub-env (a tuple): strings in ``"ansi"`` mode, RGB images in ``"rgb_array"`` mode."""
        if self.render_mode is None:
            return None
        if self.render_mode == "ansi":
            return tuple(self._connection.request({"type": "render", "mode": "ansi"})["frame"])
        return self._rgb.frames()

    def telemetry(self, metrics):
        """Sends ``{name: number}`` metrics to the viewer and other spectators of this session (never answered)."""
        self._connection.send_telemetry(_metrics(metrics))

    def close_extras(self, **kwargs):
        connection = getattr(self, "_connection", None)
        if connection is None or connection.closed:
            return
        try:
            connection.request({"type": "close"})
        except RlfsError:
            pass
        finally:
            connection.close()

    def __repr__(self):
        return f"<RemoteVectorEnv {self.remote_spec['id']} num_envs={self.num_envs} session={self.session}>"

    def _first_seed(self, seed):
        if seed is None:
            return None
        if isinstance(seed, (list, tuple, np.ndarray)):
            seeds = [int(s) for s in seed]
            if len(seeds) != self.num_envs or seeds != list(range(seeds[0], seeds[0] + self.num_envs)):
                raise ValueError(f"seed: the server seeds sub-env i with seed + i; expected an int or [S, S+1, ...], got {seed!r}")
            return seeds[0]
        return int(seed)

    def _observations(self, value):
        if is_packed(value):
            return unpack_array(value)
        return np.asarray(value, dtype=self.observation_space.dtype).reshape(self.observation_space.shape)

    def _single_observation(self, value):
        space = self.single_observation_space
        array = unpack_array(value) if is_packed(value) else np.asarray(value, dtype=space.dtype)
        return np.int64(array) if isinstance(space, Discrete) else array.reshape(space.shape)

    def _actions(self, actions):
        array = np.asarray(actions)
        if array.shape[:1] != (self.num_envs,):
            raise ValueError(f"actions: expected {self.num_envs} actions (one per sub-env), got shape {array.shape}")
        if self._discrete_actions and array.ndim == 1 and array.dtype.kind in "iu":
            return pack_array(array, "int32")
        if array.dtype.kind not in "iuf":
            raise ValueError(f"actions: expected numbers, got dtype {array.dtype}")
        return array.tolist()

    def _add_info(self, infos, info, index):
        return add_info(infos, info, index, self.num_envs)


def add_info(infos, info, index, num_envs):
    """Gymnasium's VectorEnv._add_info: each key becomes an array over sub-envs, with a ``_key`` mask beside it."""
    for key, value in info.items():
        if key == "final_obs":
            array = infos.get(key)
            if array is None:
                array = np.full(num_envs, None, dtype=object)
            array[index] = value
        elif isinstance(value, dict):
            array = add_info(infos.get(key, {}), value, index, num_envs)
        else:
            array = infos.get(key)
            if array is None:
                if isinstance(value, (bool, int, float, np.number)):
                    array = np.zeros(num_envs, dtype=type(value))
                elif isinstance(value, np.ndarray):
                    array = np.zeros((num_envs, *value.shape), dtype=value.dtype)
                else:
                    array = np.full(num_envs, None, dtype=object)
            array[index] = value
        mask = infos.get(f"_{key}")
        if mask is None:
            mask = np.zeros(num_envs, dtype=np.bool_)
        mask[index] = True
        infos[key] = array
        infos[f"_{key}"] = mask
    return infos


def _episode(episode):
    """``{return, length}`` with a float return: a first integral return must not make the batched array integer."""
    episode = episode or {}
    return {"return": float(episode.get("return", 0.0)), "length": int(episode.get("length", 0))}


def _as_arrays(info):
    """Lists in an info (``agent: [r, c]``) become arrays, so the batched info stacks them as Gymnasium does."""
    return {key: _as_array(value) if isinstance(value, list) else value for key, value in info.items()}


def _as_array(value):
    try:
        return np.asarray(value)
    except ValueError:  # ragged lists stay lists
        return value
