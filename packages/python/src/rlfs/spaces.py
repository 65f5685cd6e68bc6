"""Spaces: Gymnasium's own classes when Gymnasium imports, else small local ones with the same surface.

``Discrete``, ``Box`` and ``MultiDiscrete`` below are therefore exactly what an ``RemoteEnv`` holds, and what tests
check: ``gymnasium.spaces.Discrete`` etc. on a machine with Gymnasium, the local classes without it.
"""
import numpy as np

try:
    from gymnasium import spaces as _gym_spaces
except ImportError:  # Gymnasium is optional
    _gym_spaces = None

GYMNASIUM_SPACES = _gym_spaces is not None


class _Space:
    """The part of ``gymnasium.spaces.Space`` that rlfs and most trainers use: shape, dtype, seed, sample, contains."""

    def __init__(self, shape, dtype, seed=None):
        self._shape = tuple(shape)
        self.dtype = np.dtype(dtype)
        self._np_random = None
        if seed is not None:
            self.seed(seed)

    @property
    def shape(self):
        return self._shape

    @property
    def np_random(self):
        if self._np_random is None:
            self.seed()
        return self._np_random

    def seed(self, seed=None):
        seed_seq = np.random.SeedSequence(seed)
        self._np_random = np.random.Generator(np.random.PCG64(seed_seq))
        return [int(seed_seq.entropy)] if seed is None else [seed]

    def __contains__(self, x):
        return self.contains(x)


class LocalDiscrete(_Space):
    """``{start, ..., start + n - 1}``, like ``gymnasium.spaces.Discrete``."""

    def __init__(self, n, seed=None, start=0):
        if int(n) != n or n < 1:
            raise ValueError(f"Discrete: n must be a positive integer, got {n!r}")
        self.n = np.int64(n)
        self.start = np.int64(start)
        super().__init__((), np.int64, seed)

    def sample(self, mask=None):
        return np.int64(self.start + self.np_random.integers(self.n))

    def contains(self, x):
        if isinstance(x, int):
            value = np.int64(x)
        elif isinstance(x, (np.generic, np.ndarray)) and x.dtype.kind in "iu" and x.shape == ():
            value = np.int64(x)
        else:
            return False
        return bool(self.start <= value < self.start + self.n)

    def __repr__(self):
        return f"Discrete({self.n})" if self.start == 0 else f"Discrete({self.n}, start={self.start})"

    def __eq__(self, other):
        return isinstance(other, LocalDiscrete) and self.n == other.n and self.start == other.start


class LocalBox(_Space):
    """A box in R^shape with per-element bounds (possibly infinite), like ``gymnasium.spaces.Box``."""

    def __init__(self, low, high, shape=None, dtype=np.float32, seed=None):
        dtype = np.dtype(dtype)
        if shape is None:
            shape = np.shape(low) if np.ndim(low) else np.shape(high)
        shape = tuple(int(d) for d in shape)
        self.low = _bounds(low, shape, dtype, clip=True)
        self.high = _bounds(high, shape, dtype, clip=True)
        super().__init__(shape, dtype, seed)

    def is_bounded(self, manner="both"):
        below = bool(np.all(np.isfinite(self.low)))
        above = bool(np.all(np.isfinite(self.high)))
        return {"both": below and above, "below": below, "above": above}[manner]

    def sample(self, mask=None):
        low = np.where(np.isfinite(self.low), self.low, -1e6).astype(np.float64)
        high = np.where(np.isfinite(self.high), self.high, 1e6).astype(np.float64)
        if self.dtype.kind in "iu":
            return self.np_random.integers(low, high + 1, size=self.shape).astype(self.dtype)
        return self.np_random.uniform(low, high, size=self.shape).astype(self.dtype)

    def contains(self, x):
        if not isinstance(x, np.ndarray):
            try:
                x = np.asarray(x, dtype=self.dtype)
            except (ValueError, TypeError):
                return False
        return bool(
            np.can_cast(x.dtype, self.dtype)
            and x.shape == self.shape
            and np.all(x >= self.low)
            and np.all(x <= self.high)
        )

    def __repr__(self):
        return f"Box({self.low.min()}, {self.high.max()}, {self.shape}, {self.dtype})"


class LocalMultiDiscrete(_Space):
    """One Discrete per element, like ``gymnasium.spaces.MultiDiscrete`` (the batched action space of a vector env)."""

    def __init__(self, nvec, dtype=np.int64, seed=None, start=None):
        self.nvec = np.asarray(nvec, dtype=dtype)
        self.start = np.zeros_like(self.nvec) if start is None else np.asarray(start, dtype=dtype)
        super().__init__(self.nvec.shape, dtype, seed)

    def sample(self, mask=None):
        return (self.start + self.np_random.integers(self.nvec)).astype(self.dtype)

    def contains(self, x):
        x = np.asarray(x)
        return bool(x.shape == self.shape and x.dtype.kind in "iu" and np.all(x >= self.start) and np.all(x < self.start + self.nvec))

    def __repr__(self):
        return f"MultiDiscrete({self.nvec})"


if GYMNASIUM_SPACES:
    Space = _gym_spaces.Space
    Discrete = _gym_spaces.Discrete
    Box = _gym_spaces.Box
    MultiDiscrete = _gym_spaces.MultiDiscrete
else:
    Space = _Space
    Discrete = LocalDiscrete
    Box = LocalBox
    MultiDiscrete = LocalMultiDiscrete


def space_from_spec(spec):
    """The space a server's ``{type: "Discrete", n}`` or ``{type: "Box", low, high, shape, dtype}`` describes."""
    kind = spec.get("type")
    if kind == "Discrete":
        return Discrete(int(spec["n"]))
    if kind == "Box":
        dtype = np.dtype(spec["dtype"])
        shape = tuple(int(d) for d in spec["shape"])
        return Box(_bounds(spec["low"], shape, dtype), _bounds(spec["high"], shape, dtype), shape=shape, dtype=dtype)
    raise ValueError(f"unknown space type {kind!r} (protocol 1 has Discrete and Box)")


def batch_space(space, n):
    """The space of ``n`` stacked values of ``space``, as ``gymnasium.vector.utils.batch_space`` makes it."""
    if isinstance(space, Discrete):
        return MultiDiscrete(np.full((n,), int(space.n), dtype=np.int64), dtype=np.int64)
    if isinstance(space, Box):
        return Box(
            np.broadcast_to(space.low, (n, *space.shape)).copy(),
            np.broadcast_to(space.high, (n, *space.shape)).copy(),
            shape=(n, *space.shape),
            dtype=space.dtype,
        )
    raise ValueError(f"cannot batch {space!r}")


def _bounds(value, shape, dtype, clip=False):
    """Bounds as an array of the space's dtype. Floats keep their infinities; an integer space keeps an infinite bound
    as float for Gymnasium's Box to map to the dtype's limits, or (``clip``) maps it itself."""
    array = np.broadcast_to(np.asarray(value, dtype=np.float64), shape)
    if dtype.kind == "f":
        return array.astype(dtype)
    if clip:
        info = np.iinfo(dtype)
        return np.clip(array, info.min, info.max).astype(dtype)
    return array.astype(dtype) if np.all(np.isfinite(array)) else array
