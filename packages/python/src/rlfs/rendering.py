"""RGB frames drawn from an environment's ``render {mode: "state"}``, so Gymnasium's RecordVideo can film it."""
import numpy as np

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
    if isinstance(state, dict) and {"x", "theta"} <= state.keys():
        return cartpole_to_rgb(state)
    raise NotImplementedError(f"rgb_array: no drawing for the render state of {env_id} (keys: {_keys(state)})")


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


#: CartPole frames: Gymnasium's 600 x 400 picture of a world 4.8 m wide (cart 50 x 30 px, pole 1 m, 10 px wide).
CARTPOLE_WIDTH, CARTPOLE_HEIGHT, CARTPOLE_WORLD_WIDTH = 600, 400, 4.8


def cartpole_to_rgb(state):
    """A CartPole state ``{x, theta, ...}`` drawn as Gymnasium draws it: track, cart, pole, axle."""
    width, height = CARTPOLE_WIDTH, CARTPOLE_HEIGHT
    scale = width / CARTPOLE_WORLD_WIDTH
    image = np.full((height, width, 3), 255, dtype=np.uint8)
    track_y = 100  # pixels from the bottom, as in Gymnasium
    image[height - track_y, :] = 0
    cart_x = float(state["x"]) * scale + width / 2
    cart_w, cart_h = 50, 30
    left, right = int(round(cart_x - cart_w / 2)), int(round(cart_x + cart_w / 2))
    top, bottom = height - (track_y + cart_h // 2 + 10), height - (track_y - cart_h // 2 + 10)
    image[max(top, 0):max(bottom, 0), max(left, 0):max(right, 0)] = 0
    axle_y = height - (track_y + 10 + cart_h // 4 - cart_h // 2 + cart_h // 2)
    pole_len, pole_w = scale * 1.0, 10
    theta = float(state["theta"])
    ys, xs = np.mgrid[0:height, 0:width]
    # distance from each pixel to the pole's segment, from the axle along angle theta (0 = upright)
    dx, dy = np.sin(theta) * pole_len, -np.cos(theta) * pole_len
    t = np.clip(((xs - cart_x) * dx + (ys - axle_y) * dy) / (pole_len ** 2), 0, 1)
    distance = np.hypot(xs - (cart_x + t * dx), ys - (axle_y + t * dy))
    image[distance <= pole_w / 2] = (202, 152, 101)
    image[np.hypot(xs - cart_x, ys - axle_y) <= pole_w / 2] = (129, 132, 203)
    return image


def _fill(image, row, col, cell, color, inset):
    top, left = int(row) * cell + inset, int(col) * cell + inset
    image[top:top + cell - 2 * inset, left:left + cell - 2 * inset] = color


def _keys(state):
    return ", ".join(sorted(state)) if isinstance(state, dict) else type(state).__name__
