"""make_vec over several servers: sub-envs split over three real servers step exactly as one server with the same seed."""
import numpy as np
import pytest

import rlfs
from rlfs.split_vector_env import split_sizes

from conftest import Server


@pytest.fixture(scope="module")
def three_urls(url):
    extra = [Server(), Server()]
    yield [url, *(server.url for server in extra)]
    for server in extra:
        server.stop()


def assert_same(a, b, where="infos"):
    """Equal values, dtypes and shapes, through dicts and object arrays (final_obs holds one array per sub-env)."""
    if isinstance(a, dict):
        assert isinstance(b, dict) and sorted(a) == sorted(b), f"{where}: keys {sorted(a)} != {sorted(b)}"
        for key in a:
            assert_same(a[key], b[key], f"{where}[{key!r}]")
    elif isinstance(a, np.ndarray) and a.dtype == object:
        assert isinstance(b, np.ndarray) and b.dtype == object and a.shape == b.shape, where
        for i, (x, y) in enumerate(zip(a, b)):
            assert_same(x, y, f"{where}[{i}]")
    elif isinstance(a, (np.ndarray, np.generic)):
        assert isinstance(b, (np.ndarray, np.generic)) and a.dtype == b.dtype and np.shape(a) == np.shape(b), where
        assert np.array_equal(a, b), f"{where}: {a!r} != {b!r}"
    else:
        assert a == b, f"{where}: {a!r} != {b!r}"


def test_split_sizes_are_as_even_as_possible():
    assert split_sizes(10, 3) == [4, 3, 3]
    assert split_sizes(7, 3) == [3, 2, 2]
    assert split_sizes(3, 3) == [1, 1, 1]
    with pytest.raises(ValueError, match="num_envs 2 cannot be split over 3 servers"):
        split_sizes(2, 3)


@pytest.mark.parametrize("env_id, options, actions", [
    ("GridWorld-v0", {"size": 4, "obstacles": 2, "maxEpisodeSteps": 12}, 4),
    ("CartPole-v1", {"maxEpisodeSteps": 40}, 2),
])
@pytest.mark.parametrize("encoding", ["plain", "packed"])
def test_split_over_three_servers_equals_one_server(three_urls, env_id, options, actions, encoding):
    single = rlfs.make_vec(env_id, 7, url=three_urls[0], seed=123, encoding=encoding, **options)
    split = rlfs.make_vec(env_id, 7, url=three_urls, seed=123, encoding=encoding, name="split", **options)
    try:
        assert isinstance(split, rlfs.SplitVectorEnv) and split.num_envs == 7
        assert [part.num_envs for part in split.parts] == [3, 2, 2] and split.offsets == [0, 3, 5]
        assert [part.url for part in split.parts] == three_urls
        for key in ("shape", "dtype", "low", "high"):
            assert_same(getattr(split.observation_space, key), getattr(single.observation_space, key), key)
        assert split.action_space.shape == single.action_space.shape == (7,)
        for a, b in zip(split.reset(), single.reset()):
            assert_same(a, b)
        rng = np.random.default_rng(7)
        ended = np.zeros(7, dtype=bool)
        for t in range(300):
            if t == 150:  # a seed of its own: sub-env i is seeded 999 + i on either side
                for a, b in zip(split.reset(seed=999), single.reset(seed=999)):
                    assert_same(a, b)
            batch = rng.integers(0, actions, size=7)
            if t == 200:  # an action out of range anywhere refuses the whole batch and steps nothing
                bad = batch.copy()
                bad[6] = actions
                with pytest.raises(rlfs.RemoteError) as refused:
                    split.step(bad)
                assert refused.value.code == "INVALID_ACTION"
                with pytest.raises(rlfs.RemoteError):
                    single.step(bad)
            got, want = split.step(batch), single.step(batch)
            for a, b in zip(got, want):
                assert_same(a, b)
            ended |= got[2] | got[3]
        assert ended.all()  # episodes ended on every server, so autoreset was exercised on each
    finally:
        split.close()
        single.close()
    assert all(part._connection.closed for part in split.parts)


def test_a_comma_separated_url_string_splits_too(three_urls):
    with rlfs.make_vec("GridWorld-v0", 4, url=",".join(three_urls[:2]), seed=5) as split, \
            rlfs.make_vec("GridWorld-v0", 4, url=three_urls[0], seed=5) as single:
        assert [part.num_envs for part in split.parts] == [2, 2]
        for a, b in zip(split.reset(), single.reset()):
            assert_same(a, b)


def test_an_error_from_one_server_names_its_url_and_closes_the_others(three_urls, token_server):
    with pytest.raises(rlfs.RemoteError) as refused:
        rlfs.make_vec("GridWorld-v0", 2, url=[three_urls[1], token_server.url])
    assert refused.value.code == "UNAUTHORIZED" and token_server.url in str(refused.value)


def test_a_server_that_cannot_be_reached_is_named(three_urls):
    dead = "ws://127.0.0.1:9/ws"
    with pytest.raises(rlfs.ConnectionLost, match="127.0.0.1:9"):
        rlfs.make_vec("GridWorld-v0", 2, url=[three_urls[1], dead], timeout=5)


def test_fewer_sub_envs_than_servers_is_refused(three_urls):
    with pytest.raises(ValueError, match="num_envs 2 cannot be split over 3 servers"):
        rlfs.make_vec("GridWorld-v0", 2, url=three_urls)
