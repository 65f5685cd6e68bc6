"""CartPole-v1 through rlfs: a float32 Box with per-element bounds, Gymnasium's dynamics, both encodings, vectors."""
import math

import numpy as np
import pytest

import rlfs
from rlfs.spaces import Box, Discrete, space_from_spec

TAU = 0.02  # seconds per step (Gymnasium's CartPole)


@pytest.fixture
def env(url):
    env = rlfs.make("CartPole-v1", url=url)
    yield env
    env.close()


def test_spaces_are_a_float32_box_with_per_element_bounds_and_two_actions(env):
    space = env.observation_space
    assert isinstance(space, Box) and space.shape == (4,) and space.dtype == np.float32
    # cart position within 2.4 m * 2, pole angle within 12 degrees * 2; velocities unbounded (float32's largest)
    assert space.low[0] == np.float32(-4.8) and space.high[0] == np.float32(4.8)
    assert space.high[2] == np.float32(2 * 12 * 2 * math.pi / 360)
    assert space.high[1] == np.finfo(np.float32).max and space.low[3] == -np.finfo(np.float32).max
    assert isinstance(env.action_space, Discrete) and env.action_space.n == 2
    assert env.remote_spec["maxEpisodeSteps"] == 500


def test_reset_draws_each_variable_within_five_hundredths(env):
    obs, info = env.reset(seed=1)
    assert obs.dtype == np.float32 and obs in env.observation_space
    assert np.all(np.abs(obs) <= 0.05) and info == {}
    assert np.array_equal(env.reset(seed=1)[0], obs)


def test_one_step_is_an_explicit_euler_step(env):
    x, x_dot, theta, theta_dot = env.reset(seed=4)[0].astype(np.float64)
    obs, reward, terminated, truncated, _ = env.step(1)
    # position and angle move by tau times the velocities before the step
    assert math.isclose(obs[0], x + TAU * x_dot, rel_tol=1e-6, abs_tol=1e-7)
    assert math.isclose(obs[2], theta + TAU * theta_dot, rel_tol=1e-6, abs_tol=1e-7)
    assert obs[1] > x_dot  # pushing right accelerates the cart to the right
    assert reward == 1.0 and terminated is False and truncated is False


def test_always_pushing_right_drops_the_pole(env):
    env.reset(seed=2)
    for steps in range(1, 501):
        obs, reward, terminated, truncated, info = env.step(1)
        if terminated or truncated:
            break
    assert terminated is True and truncated is False and steps < 100
    assert abs(obs[2]) > 12 * 2 * math.pi / 360 or abs(obs[0]) > 2.4
    assert info["episode"] == {"return": steps, "length": steps}


def test_packed_observations_are_the_same_float32_bits(url):
    with rlfs.make("CartPole-v1", url=url) as plain, rlfs.make("CartPole-v1", url=url, encoding="packed") as packed:
        assert np.array_equal(plain.reset(seed=9)[0], packed.reset(seed=9)[0])
        for action in (0, 1, 1, 0, 1):
            a, b = plain.step(action)[0], packed.step(action)[0]
            assert a.dtype == b.dtype == np.float32 and a.tobytes() == b.tobytes()


def test_vector_sub_env_i_is_the_scalar_env_with_seed_plus_i(url):
    with rlfs.make_vec("CartPole-v1", 3, url=url) as envs:
        batch, _ = envs.reset(seed=20)
        assert batch.dtype == np.float32 and batch.shape == (3, 4) and batch in envs.observation_space
        for i in range(3):
            with rlfs.make("CartPole-v1", url=url) as env:
                assert env.reset(seed=20 + i)[0].tobytes() == batch[i].tobytes()


def test_rgb_array_draws_the_cart_where_it_stands(url):
    with rlfs.make("CartPole-v1", url=url, render_mode="rgb_array") as env:
        obs, _ = env.reset(seed=1)
        frame = env.render()  # from the env's draw list: viewport 4.8 m x 3.2 m at 125 px per metre
        assert frame.shape == (400, 600, 3) and frame.dtype == np.uint8
        cart_column = int(obs[0] * 125 + 300)
        row = 400 - 125 + 10  # 10 px below the track (world y = 0 at pixel row 275), inside the 30 px cart
        assert tuple(frame[row, cart_column]) == (0, 0, 0)
        assert tuple(frame[row, cart_column + 40]) == (255, 255, 255)  # beyond the cart's 25 px half-width
        assert tuple(frame[275, 5]) == (0, 0, 0)  # the track line


def test_infinite_bounds_stay_infinite():
    space = space_from_spec({"type": "Box", "low": [-math.inf, 0], "high": [math.inf, 1], "shape": [2], "dtype": "float32"})
    assert space.low.tolist() == [-math.inf, 0.0] and space.high.tolist() == [math.inf, 1.0]
    assert np.array([1e30, 0.5], dtype=np.float32) in space
    assert np.array([0.0, 2.0], dtype=np.float32) not in space
