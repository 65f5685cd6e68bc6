"""RemoteEnv against a real server: the Gymnasium API rules its env checker enforces, worked out on GridWorld-v0."""
import math

import numpy as np
import pytest

import rlfs
import rlfs.rendering
from rlfs.core import Env
from rlfs.spaces import Box, Discrete

# A 3x3 grid: agent top-left, goal top-right, an obstacle in the middle (docs/protocol.md walks through it).
LAYOUT = ["A.G", ".#.", "..."]


@pytest.fixture
def env(url):
    env = rlfs.make("GridWorld-v0", url=url)
    yield env
    env.close()


def test_is_an_env_with_the_servers_spaces(env):
    assert isinstance(env, rlfs.RemoteEnv) and isinstance(env, Env)
    assert isinstance(env.action_space, Discrete) and env.action_space.n == 4
    space = env.observation_space
    assert isinstance(space, Box)
    assert space.shape == (25,) and space.dtype == np.int8
    assert np.all(space.low == -1) and np.all(space.high == 2)
    assert env.remote_spec["options"]["size"] == 5
    assert env.spec.id == "rlfs/GridWorld-v0" and env.spec.nondeterministic is False
    assert env.metadata["render_modes"] == ["ansi", "rgb_array"]


def test_reset_returns_an_observation_in_the_space_and_an_info_dict(env):
    result = env.reset(seed=3)
    assert isinstance(result, tuple) and len(result) == 2
    obs, info = result
    assert isinstance(obs, np.ndarray) and obs.dtype == np.int8 and obs.shape == (25,)
    assert obs in env.observation_space
    assert isinstance(info, dict)
    # one agent (1) and one goal (2) on a 5x5 grid without obstacles
    assert (obs == 1).sum() == 1 and (obs == 2).sum() == 1 and (obs == 0).sum() == 23
    row, col = info["agent"]
    assert obs[row * 5 + col] == 1


def test_step_returns_five_values_of_the_documented_types(env):
    env.reset(seed=3)
    result = env.step(0)
    assert isinstance(result, tuple) and len(result) == 5
    obs, reward, terminated, truncated, info = result
    assert obs in env.observation_space and obs.dtype == np.int8
    assert type(reward) is float
    assert type(terminated) is bool and type(truncated) is bool
    assert isinstance(info, dict) and isinstance(info["hitWall"], bool)


def test_reset_with_a_seed_is_deterministic_and_reset_without_continues(env, url):
    obs_1, _ = env.reset(seed=123)
    obs_2, _ = env.reset()
    obs_3, _ = env.reset(seed=123)
    obs_4, _ = env.reset()
    assert np.array_equal(obs_1, obs_3)
    assert np.array_equal(obs_2, obs_4)
    # and the generator Gymnasium's checker inspects is reseeded the same way
    env.reset(seed=123)
    state_123 = env.np_random.bit_generator.state
    env.reset(seed=456)
    assert env.np_random.bit_generator.state != state_123
    # another connection, same seed: same episode starts
    with rlfs.make("GridWorld-v0", url=url) as other:
        assert np.array_equal(other.reset(seed=123)[0], obs_1)
        assert np.array_equal(other.reset()[0], obs_2)


def test_steps_are_deterministic_after_a_seeded_reset(env):
    def rollout():
        env.reset(seed=9)
        return [env.step(a) for a in (3, 3, 1, 2, 0)]

    first, second = rollout(), rollout()
    for a, b in zip(first, second):
        assert np.array_equal(a[0], b[0]) and a[1:] == b[1:]


def test_reaching_the_goal_terminates_with_the_rewards_of_the_formula(url):
    with rlfs.make("GridWorld-v0", url=url, layout=LAYOUT, maxEpisodeSteps=10) as env:
        obs, info = env.reset()
        assert obs.tolist() == [1, 0, 2, 0, -1, 0, 0, 0, 0]
        assert info == {"agent": [0, 0], "goal": [0, 2], "shortestPath": 2}
        obs, reward, terminated, truncated, info = env.step(3)  # right to [0,1]: d 2 -> 1
        assert math.isclose(reward, -1 + (2 - 1) / 3) and not terminated and not truncated
        obs, reward, terminated, truncated, info = env.step(3)  # right onto the goal: d 1 -> 0
        assert math.isclose(reward, -1 + 1 / 3 + 100)
        assert terminated is True and truncated is False
        assert obs.tolist() == [0, 0, 2, 0, -1, 0, 0, 0, 0]  # the goal's 2 shows where the agent stands on it
        assert info["episode"]["length"] == 2
        assert math.isclose(info["episode"]["return"], -1 + 1 / 3 - 1 + 1 / 3 + 100)
        with pytest.raises(rlfs.RemoteError) as caught:
            env.step(3)
        assert caught.value.code == "RESET_NEEDED"


def test_the_time_limit_truncates(url):
    with rlfs.make("GridWorld-v0", url=url, layout=LAYOUT, maxEpisodeSteps=2) as env:
        env.reset()
        assert env.step(0)[3] is False  # up: bumps the wall
        _, reward, terminated, truncated, info = env.step(0)
        assert terminated is False and truncated is True
        assert reward == -2.0  # step -1, wall -1, no change in distance
        assert info["episode"] == {"return": -4, "length": 2}


@pytest.mark.parametrize("action", [3, np.int64(3), np.int32(3), np.array(3), np.array([3]), 3.0])
def test_actions_may_be_ints_or_numpy_scalars_and_arrays(url, action):
    with rlfs.make("GridWorld-v0", url=url, layout=LAYOUT) as env:
        env.reset()
        _, _, _, _, info = env.step(action)
        assert info["agent"] == [0, 1]


def test_an_invalid_action_is_refused_and_changes_nothing(url):
    with rlfs.make("GridWorld-v0", url=url, layout=LAYOUT) as env:
        env.reset()
        with pytest.raises(rlfs.RemoteError) as caught:
            env.step(4)
        assert caught.value.code == "INVALID_ACTION" and caught.value.message
        with pytest.raises(ValueError, match="action"):
            env.step([1, 2])
        assert env.step(3)[4]["agent"] == [0, 1]


def test_packed_and_plain_encodings_give_the_same_arrays(url):
    with rlfs.make("GridWorld-v0", url=url) as plain, rlfs.make("GridWorld-v0", url=url, encoding="packed") as packed:
        assert packed.remote_spec["encoding"] == "packed"
        a, b = plain.reset(seed=5)[0], packed.reset(seed=5)[0]
        assert a.dtype == b.dtype == np.int8 and np.array_equal(a, b)
        for action in (0, 1, 2, 3, 3):
            sa, sb = plain.step(action), packed.step(action)
            assert np.array_equal(sa[0], sb[0]) and sa[0].dtype == sb[0].dtype
            assert sa[1:4] == sb[1:4]
            if sa[2] or sa[3]:
                break
        b.fill(0)  # a packed observation is the caller's own array, writable


@pytest.mark.parametrize("observation,shape,dtype", [("onehot", (75,), np.int8), ("coords", (4,), np.int8)])
def test_other_observations_have_their_spaces_shape(url, observation, shape, dtype):
    with rlfs.make("GridWorld-v0", url=url, observation=observation) as env:
        obs, _ = env.reset(seed=1)
        assert obs.shape == shape == env.observation_space.shape
        assert obs in env.observation_space


def test_render_ansi_and_rgb_array(url):
    with rlfs.make("GridWorld-v0", url=url, layout=LAYOUT, render_mode="ansi") as env:
        env.reset()
        assert env.render() == "A.G\n.#.\n..."
    with rlfs.make("GridWorld-v0", url=url, layout=LAYOUT, render_mode="rgb_array") as env:
        env.reset()
        frame = env.render()
        cell = rlfs.rendering.CELL_PIXELS
        assert frame.shape == (3 * cell, 3 * cell, 3) and frame.dtype == np.uint8
        centre = cell // 2
        assert tuple(frame[centre, centre]) == rlfs.rendering._AGENT  # agent at [0,0]
        assert tuple(frame[centre, 2 * cell + centre]) == rlfs.rendering._GOAL  # goal at [0,2]
        assert tuple(frame[cell + centre, cell + centre]) == rlfs.rendering._OBSTACLE  # obstacle at [1,1]
    with rlfs.make("GridWorld-v0", url=url) as env:
        env.reset()
        assert env.render() is None  # no render_mode, as in Gymnasium


def test_close_twice_is_harmless_and_a_closed_env_says_so(url):
    env = rlfs.make("GridWorld-v0", url=url)
    env.reset()
    env.close()
    env.close()
    with pytest.raises(rlfs.ConnectionLost):
        env.step(0)


def test_telemetry_reaches_the_sessions_spectators(url):
    from rlfs.client import Connection

    with rlfs.make("GridWorld-v0", url=url, name="py-telemetry") as env:
        spectator = Connection(url, role="spectator")
        try:
            sessions = spectator.request({"type": "sessions"})["sessions"]
            assert {"session": env.session, "name": "py-telemetry"}.items() <= next(
                s for s in sessions if s["session"] == env.session).items()
            spectator.request({"type": "subscribe", "session": env.session})
            env.telemetry({"train/loss": 0.25, "train/epsilon": np.float32(0.5), "episode/return": 3})
            event = spectator._receive("telemetry")
            while event["type"] != "telemetry":
                event = spectator._receive("telemetry")
            # "step" (env steps when it arrived: none yet) is the server's documented addition
            assert event == {"type": "telemetry", "session": env.session, "step": 0,
                             "metrics": {"train/loss": 0.25, "train/epsilon": 0.5, "episode/return": 3.0}}
        finally:
            spectator.close()
        with pytest.raises(ValueError, match="telemetry"):
            env.telemetry({"loss": "high"})
