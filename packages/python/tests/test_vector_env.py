"""RemoteVectorEnv: batched arrays, same-step autoreset with Gymnasium's final_obs/final_info, seeds S+i, encodings."""
import numpy as np
import pytest

import rlfs
from rlfs.core import AutoresetMode, VectorEnv

# A 2x2 grid: the agent at [0,0] with the goal just right of it. Right (3) reaches it in one step.
TWO_BY_TWO = ["AG", ".."]


@pytest.mark.parametrize("encoding", ["packed", "plain"])
def test_batched_spaces_and_arrays(url, encoding):
    with rlfs.make_vec("GridWorld-v0", 3, url=url, encoding=encoding) as envs:
        assert isinstance(envs, VectorEnv) and envs.num_envs == 3
        assert envs.metadata["autoreset_mode"] == AutoresetMode.SAME_STEP
        assert envs.single_observation_space.shape == (25,) and envs.observation_space.shape == (3, 25)
        assert envs.single_action_space.n == 4 and envs.action_space.shape == (3,)
        obs, infos = envs.reset(seed=10)
        assert obs.shape == (3, 25) and obs.dtype == np.int8 and obs in envs.observation_space
        assert infos["agent"].shape == (3, 2) and infos["_agent"].all()
        obs, rewards, terminations, truncations, infos = envs.step(np.array([0, 1, 2]))
        assert obs.shape == (3, 25) and obs.dtype == np.int8
        assert rewards.shape == (3,) and rewards.dtype == np.float64
        assert terminations.dtype == np.bool_ and truncations.dtype == np.bool_
        assert isinstance(infos, dict)


@pytest.mark.parametrize("encoding", ["packed", "plain"])
def test_same_step_autoreset_reports_the_ended_episode_in_final_obs_and_final_info(url, encoding):
    with rlfs.make_vec("GridWorld-v0", 2, url=url, encoding=encoding, layout=TWO_BY_TWO) as envs:
        obs, _ = envs.reset()
        assert obs.tolist() == [[1, 2, 0, 0], [1, 2, 0, 0]]
        # sub-env 0 goes right onto the goal; sub-env 1 goes up into the wall
        obs, rewards, terminations, truncations, infos = envs.step([3, 0])
        assert terminations.tolist() == [True, False] and truncations.tolist() == [False, False]
        # reward: step -1 + shaping 1 * (d 1 -> 0) / size 2 + goal 100; the bump: step -1 + wall -1
        assert rewards.tolist() == [99.5, -2.0]
        # the observation of sub-env 0 is already the next episode's (the layout puts the agent back on A)
        assert obs.tolist() == [[1, 2, 0, 0], [1, 2, 0, 0]]
        assert infos["_final_obs"].tolist() == [True, False]
        assert infos["final_obs"][0].tolist() == [0, 2, 0, 0] and infos["final_obs"][1] is None
        assert infos["_final_info"].tolist() == [True, False]
        episode = infos["final_info"]["episode"]
        assert episode["return"][0] == 99.5 and episode["length"][0] == 1
        assert infos["final_info"]["_episode"].tolist() == [True, False]
        # the next step goes on without a reset
        _, rewards, terminations, _, infos = envs.step([3, 3])
        assert terminations.tolist() == [True, True] and rewards.tolist() == [99.5, 99.5]
        assert infos["final_info"]["episode"]["length"].tolist() == [1, 2]
        assert infos["final_info"]["episode"]["return"].tolist() == [99.5, 97.5]


def test_truncation_autoresets_too(url):
    with rlfs.make_vec("GridWorld-v0", 1, url=url, layout=TWO_BY_TWO, maxEpisodeSteps=1) as envs:
        envs.reset()
        _, _, terminations, truncations, infos = envs.step([1])  # down: no goal, time is up
        assert terminations.tolist() == [False] and truncations.tolist() == [True]
        assert infos["final_obs"][0].tolist() == [0, 2, 1, 0]


def test_sub_env_i_is_the_scalar_env_reset_with_seed_plus_i(url):
    with rlfs.make_vec("GridWorld-v0", 4, url=url) as envs:
        batch, _ = envs.reset(seed=100)
        after, _, _, _, _ = envs.step([0, 1, 2, 3])
        for i in range(4):
            with rlfs.make("GridWorld-v0", url=url) as env:
                obs, _ = env.reset(seed=100 + i)
                assert np.array_equal(batch[i], obs)
                obs, _, terminated, truncated, _ = env.step(i)
                if not (terminated or truncated):
                    assert np.array_equal(after[i], obs)
        # a list of consecutive seeds is the same thing; any other list is refused with a reason
        assert np.array_equal(envs.reset(seed=[100, 101, 102, 103])[0], batch)
        with pytest.raises(ValueError, match="seed"):
            envs.reset(seed=[1, 5, 7, 9])


def test_packed_and_plain_vector_sessions_agree(url):
    with rlfs.make_vec("GridWorld-v0", 8, url=url) as packed, \
            rlfs.make_vec("GridWorld-v0", 8, url=url, encoding="plain") as plain:
        assert np.array_equal(packed.reset(seed=7)[0], plain.reset(seed=7)[0])
        rng = np.random.default_rng(0)
        for _ in range(40):
            actions = rng.integers(0, 4, size=8)
            a, b = packed.step(actions), plain.step(actions.tolist())
            for x, y in zip(a[:4], b[:4]):
                assert np.array_equal(x, y) and x.dtype == y.dtype
            assert a[4].keys() <= b[4].keys()
            if "_final_obs" in a[4]:
                assert np.array_equal(a[4]["_final_obs"], b[4]["_final_obs"])
                assert np.array_equal(a[4]["final_info"]["episode"]["return"], b[4]["final_info"]["episode"]["return"])


def test_wrong_number_of_actions_is_refused(url):
    with rlfs.make_vec("GridWorld-v0", 3, url=url) as envs:
        envs.reset(seed=1)
        with pytest.raises(ValueError, match="3 actions"):
            envs.step([0, 1])
        with pytest.raises(rlfs.RemoteError) as caught:
            envs.step([0, 1, 7])
        assert caught.value.code == "INVALID_ACTION"


def test_render_gives_one_frame_per_sub_env(url):
    with rlfs.make_vec("GridWorld-v0", 2, url=url, layout=TWO_BY_TWO, render_mode="ansi") as envs:
        envs.reset()
        assert envs.render() == ("AG\n..", "AG\n..")
