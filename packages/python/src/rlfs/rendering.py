"""RGB frames of GridWorld drawn from its ``render {mode: "state"}`` (it defines no draw list), for RecordVideo.

Environments that define a draw list (CartPole-v1, most ``--env-module`` ones) are drawn by ``drawing.py``.
"""
import numpy as np

from .drawing import draw_to_rgb
from .errors import RemoteError

#: Frames per second that ``metadata["render_fps"]`` announces (RecordVideo writes videos at this rate).
RENDER_FPS = 10
#: Pixels per grid cell in a GridWorld frame.
CELL_PIXELS = 16

_BACKGROUND = (245, 245, 240)
_GRID_LINE = (210, 210, 205)
_OBSTACLE = (60, 60, 70)
_GOAL = (60, 170, 90)
_AGENT = (220, 80, 60)


def state_to_rgb(state, env_id):
    """An H x W x 3 uint8 image of one environment's render state."""
    if isinstance(state, dict) and {"size", "agent", "goal"} <= state.keys():
        return grid_to_rgb(state)
    raise NotImplementedError(
        f"rgb_array: {env_id} defines no draw list and rlfs cannot draw its render state (keys: {_keys(state)}); "
        f"give its defineEnv a draw function, or use render_mode='ansi'"
    )


def grid_to_rgb(state, cell=CELL_PIXELS):
    """A GridWorld state ``{size, agent, goal, obstacles}``: obstacles dark, the goal green, the agent a red square."""
    size = int(state["size"])
    image = np.empty((size * cell, size * cell, 3), dtype=np.uint8)
    image[:] = _BACKGROUND
    image[::cell, :] = _GRID_LINE
    image[:, ::cell] = _GRID_LINE
    for row, col in state.get("obstacles", []):
        _fill(image, row, col, cell, _OBSTACLE, 0)
    _fill(image, *state["goal"], cell, _GOAL, 1)
    _fill(image, *state["agent"], cell, _AGENT, cell // 4)
    return image


def _fill(image, row, col, cell, color, inset):
    top, left = int(row) * cell + inset, int(col) * cell + inset
    image[top:top + cell - 2 * inset, left:left + cell - 2 * inset] = color


def _keys(state):
    return ", ".join(sorted(state)) if isinstance(state, dict) else type(state).__name__


class RgbRenderer:
    """``rgb_array`` frames of one session: from the environment's draw list when it defines one (asked once), else
    from its render state. ``frame()`` gives one image (scalar session), ``frames()`` one per sub-env (vector)."""

    def __init__(self, connection, env_id):
        self._connection = connection
        self._env_id = env_id
        self._draws = None  # unknown until the first frame

    def frame(self):
        return self._render(lambda frame: [frame])[0]

    def frames(self):
        return tuple(self._render(list))

    def _render(self, as_list):
        if self._draws is not False:
            try:
                frames = as_list(self._connection.request({"type": "render", "mode": "draw"})["frame"])
                self._draws = True
                return [draw_to_rgb(frame) for frame in frames]
            except RemoteError as error:
                if error.code != "BAD_REQUEST":  # BAD_REQUEST: this env has no draw list (or the server no "draw")
                    raise
                self._draws = False
        frames = as_list(self._connection.request({"type": "render", "mode": "state"})["frame"])
        return [state_to_rgb(frame, self._env_id) for frame in frames]
