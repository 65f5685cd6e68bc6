import numpy as np


class Space:
    def __init__(self, shape=None, dtype=None, seed=None):
        self._shape = None if shape is None else tuple(shape)
        self.dtype = None if dtype is None else np.dtype(dtype)
        self._np_random = np.random.default_rng(seed)

    @property
    def shape(self):
        return self._shape

    def seed(self, seed=None):
        self._np_random = np.random.default_rng(seed)

    def __contains__(self, x):
        return self.contains(x)


class Discrete(Space):
    def __init__(self, n, seed=None, start=0):
        self.n = np.int64(n)
        self.start = np.int64(start)
        super().__init__((), np.int64, seed)

    def sample(self, mask=None):
        return np.int64(self.start + self._np_random.integers(self.n))

    def contains(self, x):
        if isinstance(x, int):
            x = np.int64(x)
        elif not (isinstance(x, (np.generic, np.ndarray)) and x.dtype.kind in "iu" and x.shape == ()):
            return False
        return bool(self.start <= x < self.start + self.n)


class Box(Space):
    def __init__(self, low, high, shape=None, dtype=np.float32, seed=None):
        dtype = np.dtype(dtype)
        shape = tuple(shape) if shape is not None else np.shape(low)
        def bound(value, fill):
            array = np.broadcast_to(np.asarray(value, dtype=np.float64), shape)
            if dtype.kind in "iu":
                info = np.iinfo(dtype)
                array = np.where(np.isinf(array), fill(info), array)
            return array.astype(dtype)
        self.low = bound(low, lambda info: info.min)
        self.high = bound(high, lambda info: info.max)
        super().__init__(shape, dtype, seed)

    def sample(self, mask=None):
        return self._np_random.uniform(self.low, self.high).astype(self.dtype)

    def contains(self, x):
        x = np.asarray(x)
        return bool(np.can_cast(x.dtype, self.dtype) and x.shape == self.shape
                    and np.all(x >= self.low) and np.all(x <= self.high))


class MultiDiscrete(Space):
    def __init__(self, nvec, dtype=np.int64, seed=None, start=None):
        self.nvec = np.asarray(nvec, dtype=dtype)
        self.start = np.zeros_like(self.nvec) if start is None else np.asarray(start, dtype=dtype)
        super().__init__(self.nvec.shape, dtype, seed)

    def sample(self, mask=None):
        return (self.start + self._np_random.integers(self.nvec)).astype(self.dtype)

    def contains(self, x):
        x = np.asarray(x)
        return bool(x.shape == self.shape and np.all(x >= self.start) and np.all(x < self.start + self.nvec))
