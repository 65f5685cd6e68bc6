"""The Python side of `npm run bench`'s python rows: one rlfs client measuring itself, printing one JSON line.

    python3 python_client.py scalar URL WARMUP_S DURATION_S
    python3 python_client.py vector URL WARMUP_S DURATION_S NUM_ENVS

scalar: round trips (steps, and the resets between episodes) per second of one RemoteEnv, random actions.
vector: env-steps per second of one packed RemoteVectorEnv, 16 precomputed batches of random actions in turn (the
Node client's vector workload does the same).
"""
import json
import sys
import time

import numpy as np

import rlfs


def scalar(url, warmup, duration):
    env = rlfs.make("GridWorld-v0", url=url, name="bench-python-scalar")
    actions = np.random.default_rng(4242).integers(0, 4, size=4096).tolist()
    env.reset(seed=1)
    trips, k, start = 0, 0, None
    begin = time.perf_counter()
    while True:
        now = time.perf_counter()
        if start is None and now - begin >= warmup:
            start, trips = now, 0
        if start is not None and now - start >= duration:
            break
        _, _, terminated, truncated, _ = env.step(actions[k & 4095])
        k += 1
        trips += 1
        if terminated or truncated:
            env.reset()
            trips += 1
    env.close()
    return {"roundTripsPerS": trips / (time.perf_counter() - start)}


def vector(url, warmup, duration, num_envs):
    envs = rlfs.make_vec("GridWorld-v0", num_envs, url=url, encoding="packed", seed=1, name=f"bench-python-vector-{num_envs}")
    batches = np.random.default_rng(4242).integers(0, 4, size=(16, num_envs)).astype(np.int32)
    envs.reset()
    steps, k, start = 0, 0, None
    begin = time.perf_counter()
    while True:
        now = time.perf_counter()
        if start is None and now - begin >= warmup:
            start, steps = now, 0
        if start is not None and now - start >= duration:
            break
        envs.step(batches[k & 15])
        k += 1
        steps += 1
    envs.close()
    return {"envStepsPerS": steps * num_envs / (time.perf_counter() - start), "steps": steps}


if __name__ == "__main__":
    mode, url, warmup, duration = sys.argv[1], sys.argv[2], float(sys.argv[3]), float(sys.argv[4])
    result = scalar(url, warmup, duration) if mode == "scalar" else vector(url, warmup, duration, int(sys.argv[5]))
    print(json.dumps(result))
