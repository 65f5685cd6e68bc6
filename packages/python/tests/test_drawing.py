"""Draw lists rasterised for rgb_array: world units, y up, uniform scale, paint order and alpha."""
import numpy as np
import pytest

from rlfs.drawing import draw_to_rgb


def picture(items, background="#ffffff"):
    # a 10 x 5 world on a 100-pixel-wide image: 10 px per unit, 50 px high, world y = 0 at the bottom row
    return draw_to_rgb({"viewport": {"x": 0, "y": 0, "width": 10, "height": 5}, "background": background,
                        "items": items}, width=100)


def test_a_filled_rect_covers_its_world_rectangle_with_y_up():
    image = picture([{"type": "rect", "x": 1, "y": 1, "width": 2, "height": 1, "fill": "#ff0000"}])
    assert image.shape == (50, 100, 3)
    red = np.all(image == (255, 0, 0), axis=-1)
    rows, cols = np.nonzero(red)
    # x 1..3 -> columns 10..29; y 1..2 -> rows 50-20=30 .. 50-10-1=39
    assert (cols.min(), cols.max(), rows.min(), rows.max()) == (10, 29, 30, 39)
    assert tuple(image[0, 0]) == (255, 255, 255)


def test_later_items_paint_over_earlier_ones_and_alpha_blends():
    image = picture([
        {"type": "rect", "x": 0, "y": 0, "width": 10, "height": 5, "fill": "#000000"},
        {"type": "circle", "x": 5, "y": 2.5, "radius": 1, "fill": "#ffffff80"},
    ])
    assert tuple(image[25, 50]) == (128, 128, 128)  # half white over black
    assert tuple(image[25, 70]) == (0, 0, 0)  # outside the circle


def test_a_line_has_its_width_in_world_units():
    image = picture([{"type": "line", "points": [0, 2.5, 10, 2.5], "stroke": "#0000ff", "lineWidth": 0.4}])
    column = np.all(image[:, 50] == (0, 0, 255), axis=-1)
    assert column.sum() == 4  # 0.4 units = 4 px


def test_a_bad_colour_is_named():
    with pytest.raises(ValueError, match="'red'"):
        picture([{"type": "rect", "x": 0, "y": 0, "width": 1, "height": 1, "fill": "red"}])
