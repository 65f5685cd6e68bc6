"""Draw lists (docs/protocol.md, "Draw lists") rasterised into RGB images with NumPy, for ``render_mode="rgb_array"``.

A draw list is ``{viewport: {x, y, width, height}, background?, items: [...]}`` in world units, y growing up; items
are ``rect``, ``circle``, ``line`` and ``text``, painted in order with ``#rrggbb`` or ``#rrggbbaa`` colours. The
viewport is scaled uniformly onto the image and centred. Text is not drawn (it would need a font): the picture of
an environment does not depend on it.
"""
import numpy as np

#: Width in pixels of an image drawn from a draw list; the height follows the viewport's aspect ratio.
DRAW_WIDTH = 600


def draw_to_rgb(draw, width=DRAW_WIDTH):
    """An H x W x 3 uint8 image of one draw list."""
    viewport = draw["viewport"]
    vx, vy, vw, vh = (float(viewport[k]) for k in ("x", "y", "width", "height"))
    if not (vw > 0 and vh > 0):
        raise ValueError(f"draw list: the viewport needs a positive width and height, got {viewport!r}")
    height = max(1, int(round(width * vh / vw)))
    scale = min(width / vw, height / vh)
    off_x, off_y = (width - vw * scale) / 2, (height - vh * scale) / 2
    canvas = _Canvas(width, height, lambda x, y: (off_x + (x - vx) * scale, height - off_y - (y - vy) * scale), scale)
    canvas.image[:] = _color(draw.get("background", "#ffffff"))[:3]
    for item in draw.get("items", []):
        kind = item.get("type")
        if kind == "rect":
            canvas.rect(item)
        elif kind == "circle":
            canvas.circle(item)
        elif kind == "line":
            canvas.line(item)
    return canvas.image.round().astype(np.uint8)


class _Canvas:
    def __init__(self, width, height, to_pixel, scale):
        self.image = np.zeros((height, width, 3), dtype=np.float64)
        self.to_pixel = to_pixel
        self.scale = scale
        self.ys, self.xs = np.mgrid[0:height, 0:width] + 0.5  # pixel centres

    def rect(self, item):
        x0, y1 = self.to_pixel(item["x"], item["y"])
        x1, y0 = self.to_pixel(item["x"] + item["width"], item["y"] + item["height"])
        inside = (self.xs >= x0) & (self.xs < x1) & (self.ys >= y0) & (self.ys < y1)
        if "fill" in item:
            self._paint(inside, item["fill"])
        if "stroke" in item:
            w = self._width(item)
            outer = (self.xs >= x0 - w / 2) & (self.xs < x1 + w / 2) & (self.ys >= y0 - w / 2) & (self.ys < y1 + w / 2)
            inner = (self.xs >= x0 + w / 2) & (self.xs < x1 - w / 2) & (self.ys >= y0 + w / 2) & (self.ys < y1 - w / 2)
            self._paint(outer & ~inner, item["stroke"])

    def circle(self, item):
        cx, cy = self.to_pixel(item["x"], item["y"])
        r = float(item["radius"]) * self.scale
        d = np.hypot(self.xs - cx, self.ys - cy)
        if "fill" in item:
            self._paint(d <= r, item["fill"])
        if "stroke" in item:
            self._paint(np.abs(d - r) <= self._width(item) / 2, item["stroke"])

    def line(self, item):
        points = [self.to_pixel(x, y) for x, y in zip(item["points"][0::2], item["points"][1::2])]
        half = self._width(item) / 2
        mask = np.zeros(self.xs.shape, dtype=bool)
        for (ax, ay), (bx, by) in zip(points, points[1:]):
            dx, dy = bx - ax, by - ay
            length2 = dx * dx + dy * dy
            t = 0.0 if length2 == 0 else np.clip(((self.xs - ax) * dx + (self.ys - ay) * dy) / length2, 0, 1)
            mask |= np.hypot(self.xs - (ax + t * dx), self.ys - (ay + t * dy)) <= half
        self._paint(mask, item.get("stroke", "#000000"))

    def _width(self, item):
        return max(1.0, float(item.get("lineWidth", 0)) * self.scale)

    def _paint(self, mask, colour):
        r, g, b, a = _color(colour)
        self.image[mask] = self.image[mask] * (1 - a) + np.array([r, g, b]) * a


def _color(text):
    """``#rrggbb`` or ``#rrggbbaa`` as (r, g, b, alpha 0..1)."""
    if not (isinstance(text, str) and text.startswith("#") and len(text) in (7, 9)):
        raise ValueError(f"draw list: colours are #rrggbb or #rrggbbaa, got {text!r}")
    r, g, b = (int(text[i:i + 2], 16) for i in (1, 3, 5))
    a = int(text[7:9], 16) / 255 if len(text) == 9 else 1.0
    return r, g, b, a
