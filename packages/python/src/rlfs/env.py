"""RemoteEnv: one environment session on an rlfs server, as a Gymnasium environment."""
import numpy as np

from .client import DEFAULT_TIMEOUT, Connection
from .codec import is_packed, unpack_array
from .core import Env, EnvSpec
from .errors import RlfsError
from .rendering import RENDER_FPS, RgbRenderer
from .spaces import Discrete, space_from_spec

ENCODINGS = ("plain", "packed")
RENDER_MODES = ("ansi", "rgb_array")


class RemoteEnv(Env):
    """A Gymnasium environment whose dynamics run on an rlfs server (protocol 1).

    ``RemoteEnv(url, "GridWorld-v0", {"size": 6})`` connects, says hello, makes the environment and holds the session
    until ``close()``. ``reset(seed=...)`` reseeds the server's environment; ``reset()`` continues its random stream,
    as Gymnasium's seeding rules say. Observations are NumPy arrays of the observation space's dtype and shape.

    Args:
        url: ``ws://HOST:PORT/ws``; None means ``RLFS_URL``, then ``ws://127.0.0.1:8080/ws``.
        env_id: an id the server lists (``GridWorld-v0``, ``CartPole-v1``, or one served with ``--env-module``).
        options: the environment's options, e.g. ``{"size": 6, "obstacles": 3}``; the server checks them.
        token: the server's token when it was started with ``--token`` (None: ``RLFS_TOKEN`` if set).
        timeout: seconds each request may take before ``rlfs.RequestTimeout``.
        render_mode: None, ``"ansi"`` (text) or ``"rgb_array"`` (an H x W x 3 uint8 image, for ``RecordVideo``).
        seed: a seed for the first ``reset()`` that has none of its own.
        encoding: ``"plain"`` or ``"packed"`` (observations as raw bytes; the same arrays come out).
        name: the name spectators see for this agent.
    """

    metadata = {"render_modes": list(RENDER_MODES), "render_fps": RENDER_FPS}

    def __init__(self, url=None, env_id="GridWorld-v0", options=None, *, token=None, timeout=DEFAULT_TIMEOUT,
                 render_mode=None, seed=None, encoding="plain", name=None):
        if render_mode is not None and render_mode not in RENDER_MODES:
            raise ValueError(f"render_mode: expected None or one of {', '.join(RENDER_MODES)}, got {render_mode!r}")
        if encoding not in ENCODINGS:
            raise ValueError(f"encoding: expected one of {', '.join(ENCODINGS)}, got {encoding!r}")
        if options is not None and not isinstance(options, dict):
            raise ValueError(f"options: expected a dict of the environment's options, got {type(options).__name__}")
        self.render_mode = render_mode
        self._connection = Connection(url, token=token, timeout=timeout, name=name)
        make = {"type": "make", "env": env_id, "encoding": encoding}
        if options:
            make["options"] = options
        if seed is not None:
            make["seed"] = int(seed)
        try:
            made = self._connection.request(make)
        except RlfsError:
            self._connection.close()
            raise
        #: The server's ``spec``: ``id``, ``options`` (defaults resolved), spaces, ``maxEpisodeSteps``, ``encoding``.
        self.remote_spec = made["spec"]
        #: The session id, as spectators and the viewer list it.
        self.session = made["session"]
        self.url = self._connection.url
        self.observation_space = space_from_spec(self.remote_spec["observationSpace"])
        self.action_space = space_from_spec(self.remote_spec["actionSpace"])
        self.spec = EnvSpec(
            id=f"rlfs/{env_id}",
            entry_point="rlfs:make",
            nondeterministic=False,
            max_episode_steps=None,  # the server truncates by itself; a TimeLimit on top would be redundant
            kwargs={"env_id": env_id, "url": self.url, **(options or {})},
        )
        self._rgb = RgbRenderer(self._connection, env_id)

    @property
    def welcome(self):
        """The server's ``welcome``: ``server`` (name/version) and ``envs`` (the ids it serves)."""
        return self._connection.welcome

    def reset(self, *, seed=None, options=None):
        """Starts an episode: ``(observation, info)``. A seed reseeds the environment; without one it continues."""
        super().reset(seed=seed)
        message = {"type": "reset"}
        if seed is not None:
            message["seed"] = int(seed)
        if options:
            message["options"] = options
        reply = self._connection.request(message)
        return self._observation(reply["observation"]), reply.get("info", {})

    def step(self, action):
        """One step: ``(observation, reward, terminated, truncated, info)``."""
        reply = self._connection.request({"type": "step", "action": self._action(action)})
        return (
            self._observation(reply["observation"]),
            float(reply["reward"]),
            bool(reply["terminated"]),
            bool(reply["truncated"]),
            reply.get("info", {}),
        )

    def render(self):
        """The current frame in ``render_mode``: a string (ansi), an RGB image (rgb_array), or None without a mode."""
        if self.render_mode is None:
            return None
        if self.render_mode == "ansi":
            return self._connection.request({"type": "render", "mode": "ansi"})["frame"]
        return self._rgb.frame()

    def telemetry(self, metrics):
        """Sends ``{name: number}`` metrics to the viewer and other spectators of this session (never answered)."""
        self._connection.send_telemetry(_metrics(metrics))

    def close(self):
        """Ends the session and the connection; safe to call twice."""
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
        return f"<RemoteEnv {self.remote_spec['id']} session={self.session} url={self.url}>"

    def _observation(self, value):
        if is_packed(value):
            array = unpack_array(value)
        else:
            array = np.asarray(value, dtype=self.observation_space.dtype)
        if isinstance(self.observation_space, Discrete):
            return np.int64(array)
        return array.reshape(self.observation_space.shape)

    def _action(self, action):
        array = np.asarray(action)
        if isinstance(self.action_space, Discrete):
            if array.size != 1 or array.dtype.kind not in "iuf":
                raise ValueError(f"action: expected one integer for {self.action_space}, got {action!r}")
            return array.reshape(()).item()
        if array.dtype.kind not in "iuf":
            raise ValueError(f"action: expected numbers for {self.action_space}, got {action!r}")
        return array.astype(np.float64).reshape(-1).tolist()


def _metrics(metrics):
    if not isinstance(metrics, dict):
        raise ValueError(f"telemetry: expected a dict of {{name: number}}, got {type(metrics).__name__}")
    out = {}
    for key, value in metrics.items():
        if not isinstance(key, str) or isinstance(value, bool) or not isinstance(value, (int, float, np.number)):
            raise ValueError(f"telemetry: expected {{name: number}}, got {key!r}: {value!r}")
        out[key] = float(value)
    return out

