"""SplitVectorEnv: one learner's sub-environments spread over several servers, read back as one batch."""
import numpy as np

from .client import DEFAULT_TIMEOUT
from .core import AutoresetMode, EnvSpec, VectorEnv
from .env import RENDER_MODES, _metrics
from .errors import RemoteError, RlfsError
from .rendering import RENDER_FPS
from .spaces import Discrete, batch_space
from .vector_env import RemoteVectorEnv, add_info


def split_sizes(num_envs, parts):
    """Shares of ``num_envs`` sub-envs over ``parts`` servers, as even as possible, larger first: 10 over 3 is [4, 3, 3]."""
    if parts < 1:
        raise ValueError("url: expected at least one server URL")
    if isinstance(num_envs, bool) or not isinstance(num_envs, (int, np.integer)) or num_envs < parts:
        raise ValueError(f"num_envs {num_envs!r} cannot be split over {parts} servers: give at least one sub-env per server")
    base, extra = divmod(int(num_envs), parts)
    return [base + (1 if k < extra else 0) for k in range(parts)]


def server_urls(url):
    """A list or tuple of URLs, or one string of comma-separated URLs (``RLFS_URL=ws://a/ws,ws://b/ws``), as a list."""
    if isinstance(url, str):
        return [part.strip() for part in url.split(",") if part.strip()]
    return [str(u) for u in url]


class SplitVectorEnv(VectorEnv):
    """``num_envs`` sub-envs split over several servers: one vector session on each, stepped at the same time.

    It behaves as one ``RemoteVectorEnv`` of ``num_envs`` on one server with the same seed: sub-env i keeps its index
    and is seeded ``seed + i`` (the session on server k gets ``seed + offsets[k]``), same-step autoreset and the
    ``final_obs``/``final_info`` infos are per sub-env as in one session. Each step sends every server its slice of
    the actions before reading any reply, so the servers step concurrently. An error names the server's URL; closing
    closes every session.
    """

    metadata = {"autoreset_mode": AutoresetMode.SAME_STEP, "render_modes": list(RENDER_MODES), "render_fps": RENDER_FPS}

    def __init__(self, urls, env_id="GridWorld-v0", num_envs=2, options=None, *, token=None, timeout=DEFAULT_TIMEOUT,
                 encoding="packed", seed=None, render_mode=None, name=None):
        self.urls = server_urls(urls)
        sizes = split_sizes(num_envs, len(self.urls))
        self.offsets = [sum(sizes[:k]) for k in range(len(sizes))]
        self.num_envs = sum(sizes)
        self.render_mode = render_mode
        self.parts = []
        try:
            for url, size, offset in zip(self.urls, sizes, self.offsets):
                part_seed = None if seed is None else int(seed) + offset
                self.parts.append(_at(url, lambda: RemoteVectorEnv(
                    url, env_id, size, options, token=token, timeout=timeout, encoding=encoding, seed=part_seed,
                    render_mode=render_mode, name=name)))
            first = self.parts[0]
            for part in self.parts[1:]:
                for key in ("id", "observationSpace", "actionSpace", "encoding"):
                    if part.remote_spec[key] != first.remote_spec[key]:
                        raise RlfsError(f"{part.url}: its {key} {part.remote_spec[key]!r} differs from {first.url}'s "
                                        f"{first.remote_spec[key]!r}; every server of a split vector env must serve the "
                                        f"same environment")
        except BaseException:
            self._close_parts()
            raise
        self.remote_spec = dict(first.remote_spec, numEnvs=self.num_envs)
        self.sessions = [part.session for part in self.parts]
        self.single_observation_space = first.single_observation_space
        self.single_action_space = first.single_action_space
        self.observation_space = batch_space(self.single_observation_space, self.num_envs)
        self.action_space = batch_space(self.single_action_space, self.num_envs)
        self.spec = EnvSpec(id=f"rlfs/{env_id}", entry_point="rlfs:make", nondeterministic=False,
                            max_episode_steps=None, kwargs={"env_id": env_id, "url": list(self.urls), **(options or {})})

    def reset(self, *, seed=None, options=None):
        """Resets every sub-env: ``(observations, infos)``; ``seed=S`` seeds sub-env i with S+i across the split."""
        seed = self._first_seed(seed)
        super().reset(seed=seed)
        messages = []
        for offset in self.offsets:
            message = {"type": "reset"}
            if seed is not None:
                message["seed"] = seed + offset
            if options:
                message["options"] = options
            messages.append(message)
        replies = self._exchange(messages)
        observations, infos = [], {}
        for part, offset, reply in zip(self.parts, self.offsets, replies):
            part_observations, entries = part._read_reset(reply)
            observations.append(part_observations)
            for index, info in entries:
                infos = add_info(infos, info, offset + index, self.num_envs)
        return np.concatenate(observations), infos

    def step(self, actions):
        """One step of every sub-env with ``actions`` (length num_envs); every server steps at the same time."""
        array = np.asarray(actions)
        if array.shape[:1] != (self.num_envs,):
            raise ValueError(f"actions: expected {self.num_envs} actions (one per sub-env), got shape {array.shape}")
        space = self.single_action_space
        if isinstance(space, Discrete) and array.ndim == 1 and array.dtype.kind in "iuf":
            # refused here, before any server steps: a server refusing its slice would leave the others a step ahead
            bad = [i for i, a in enumerate(array.tolist()) if not (float(a).is_integer() and 0 <= a < space.n)]
            if bad:
                raise RemoteError("INVALID_ACTION", f"action {bad[0]}: expected an integer in 0..{space.n - 1}, "
                                  f"got {array[bad[0]]!r}", "step")
        messages = [{"type": "step", "action": part._actions(array[offset:offset + part.num_envs])}
                    for part, offset in zip(self.parts, self.offsets)]
        replies = self._exchange(messages)
        batches = ([], [], [], [])
        infos = {}
        for part, offset, reply in zip(self.parts, self.offsets, replies):
            *arrays, entries = part._read_step(reply)
            for batch, array_k in zip(batches, arrays):
                batch.append(array_k)
            for index, info in entries:
                infos = add_info(infos, info, offset + index, self.num_envs)
        observations, rewards, terminations, truncations = (np.concatenate(batch) for batch in batches)
        return observations, rewards, terminations, truncations, infos

    def render(self):
        """One frame per sub-env, in sub-env order (see RemoteVectorEnv.render)."""
        if self.render_mode is None:
            return None
        return tuple(frame for part in self.parts for frame in _at(part.url, part.render))

    def telemetry(self, metrics):
        """Sends the metrics to every server's spectators (each watches its share of the sub-envs)."""
        metrics = _metrics(metrics)
        for part in self.parts:
            part.telemetry(metrics)

    def close_extras(self, **kwargs):
        self._close_parts()

    def __repr__(self):
        shares = ", ".join(f"{part.num_envs} on {part.url}" for part in self.parts)
        return f"<SplitVectorEnv {self.remote_spec['id']} num_envs={self.num_envs} ({shares})>"

    def _first_seed(self, seed):
        if seed is None:
            return None
        if np.ndim(seed) == 0:
            return int(seed)
        seeds = [int(s) for s in seed]
        if len(seeds) != self.num_envs or seeds != list(range(seeds[0], seeds[0] + self.num_envs)):
            raise ValueError(f"seed: the servers seed sub-env i with seed + i; expected an int or [S, S+1, ...], got {seed!r}")
        return seeds[0]

    def _exchange(self, messages):
        """Sends each part its message, then reads every reply (so all servers work at once); raises the first error,
        with its server's URL, only after every reply is read, so that no connection is left out of step."""
        sent, replies, failure = [], [], None
        for part, message in zip(self.parts, messages):
            try:
                sent.append(part._connection.send_request(message))
            except RlfsError as error:
                sent.append(None)
                failure = failure or _with_url(error, part.url)
        for part, message, request_id in zip(self.parts, messages, sent):
            if request_id is None:
                replies.append(None)
                continue
            try:
                replies.append(part._connection.receive(request_id, message["type"]))
            except RlfsError as error:
                replies.append(None)
                failure = failure or _with_url(error, part.url)
        if failure is not None:
            raise failure
        return replies

    def _close_parts(self):
        for part in getattr(self, "parts", []):
            part.close()


def _at(url, fn):
    """``fn()``, its RlfsError naming the server's URL."""
    try:
        return fn()
    except RlfsError as error:
        named = _with_url(error, url)
        if named is error:
            raise
        raise named from error


def _with_url(error, url):
    """A RemoteError gets the server's URL in front of its message (ConnectionLost and RequestTimeout already have it)."""
    if isinstance(error, RemoteError) and not error.message.startswith(url):
        named = RemoteError(error.code, f"{url}: {error.message}", error.request_type)
        named.url = url
        return named
    error.url = url
    return error
