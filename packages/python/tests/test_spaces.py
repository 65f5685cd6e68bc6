"""Spaces built from a server's spec, and the local classes' Gymnasium rules (used when Gymnasium is absent)."""
import numpy as np
import pytest

from rlfs.spaces import Box, Discrete, MultiDiscrete, batch_space, space_from_spec


def test_discrete_from_spec_holds_exactly_0_to_n_minus_1():
    space = space_from_spec({"type": "Discrete", "n": 4})
    assert isinstance(space, Discrete) and space.n == 4 and space.shape == ()
    assert 0 in space and 3 in space and np.int64(2) in space
    assert 4 not in space and -1 not in space and 1.5 not in space and "1" not in space


def test_box_from_spec_with_single_bounds_broadcasts_them():
    space = space_from_spec({"type": "Box", "low": -1, "high": 2, "shape": [3], "dtype": "int8"})
    assert isinstance(space, Box) and space.shape == (3,) and space.dtype == np.int8
    assert space.low.tolist() == [-1, -1, -1] and space.high.tolist() == [2, 2, 2]
    assert np.array([-1, 0, 2], dtype=np.int8) in space
    assert np.array([-1, 0, 3], dtype=np.int8) not in space  # above high
    assert np.array([0, 0], dtype=np.int8) not in space  # wrong shape


def test_samples_are_in_the_space_and_seeded():
    box = space_from_spec({"type": "Box", "low": [0, -5], "high": [1, 5], "shape": [2], "dtype": "float32"})
    box.seed(7)
    first = [box.sample() for _ in range(20)]
    assert all(x in box and x.dtype == np.float32 for x in first)
    box.seed(7)
    assert all(np.array_equal(a, box.sample()) for a in first)
    discrete = Discrete(3)
    discrete.seed(1)
    assert {int(discrete.sample()) for _ in range(200)} == {0, 1, 2}


def test_batch_space_stacks_n_copies():
    actions = batch_space(Discrete(4), 3)
    assert isinstance(actions, MultiDiscrete) and actions.nvec.tolist() == [4, 4, 4]
    assert np.array([0, 3, 1]) in actions and np.array([0, 4, 1]) not in actions
    obs = batch_space(space_from_spec({"type": "Box", "low": [0, 1], "high": [2, 3], "shape": [2], "dtype": "float32"}), 2)
    assert obs.shape == (2, 2) and obs.low.tolist() == [[0, 1], [0, 1]]


def test_an_unknown_space_type_names_itself():
    with pytest.raises(ValueError, match="'Tuple'"):
        space_from_spec({"type": "Tuple"})
