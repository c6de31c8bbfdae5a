"""The body map: where on the body a skin concern is, from a tap on an outline.

The outline (``homecare/visits/templates/visits/_body.svg``) is drawn in a
200 x 440 box, the person standing, arms by their sides: seen from the front on
one figure (their right on the viewer's left) and from the back on the other
(their right on the viewer's right). A mark is kept as the side and the point
tapped; :func:`region` names the part of the body in words for the record
("left heel", "lower back (sacrum)"), since the pressure areas a district nurse
asks about are named, not plotted.
"""

from __future__ import annotations

WIDTH, HEIGHT = 200, 440
SIDES = ("front", "back")

# Bands of the outline, top to bottom (y where each ends).
_HEAD, _NECK, _CHEST, _WAIST, _HIPS = 62, 78, 150, 200, 228
_UPPER_ARM, _FOREARM = 165, 225
_THIGH, _KNEE, _LOWER_LEG = 305, 335, 396
_TORSO = (60, 140)  # x between: torso and legs; outside: arms
_SACRUM = (82, 118)  # x between, on the back, low: the sacrum


def check(side: str, x: int, y: int) -> None:
    """ValueError unless the mark is on one of the outlines' boxes."""
    if side not in SIDES:
        raise ValueError(f"The side must be one of: {', '.join(SIDES)}.")
    if not (0 <= x <= WIDTH and 0 <= y <= HEIGHT):
        raise ValueError(f"A mark must be within {WIDTH} x {HEIGHT}.")


def region(side: str, x: int, y: int) -> str:
    """The part of the body at (``x``, ``y``) on the ``side`` outline, in words."""
    check(side, x, y)
    on_viewers_left = x < WIDTH / 2
    theirs = (
        ("right" if on_viewers_left else "left")
        if side == "front"
        else ("left" if on_viewers_left else "right")
    )
    front = side == "front"
    if y < _HEAD:
        return "face" if front else "back of the head"
    if y < _NECK and _TORSO[0] < x < _TORSO[1]:
        return "neck" if front else "back of the neck"
    if not _TORSO[0] <= x <= _TORSO[1] and y < _HIPS + 30:
        if y < _UPPER_ARM:
            part = "upper arm" if front else "elbow" if y > _UPPER_ARM - 20 else "upper arm"
        elif y < _FOREARM:
            part = "forearm"
        else:
            part = "hand"
        return f"{theirs} {part}"
    if y < _CHEST:
        return f"{theirs} {'chest' if front else 'shoulder blade'}"
    if y < _WAIST:
        return "abdomen" if front else "lower back"
    if y < _HIPS:
        if not front and _SACRUM[0] <= x <= _SACRUM[1]:
            return "lower back (sacrum)"
        return f"{theirs} {'hip' if front else 'buttock'}"
    if y < _THIGH:
        return f"{theirs} {'thigh' if front else 'back of the thigh'}"
    if y < _KNEE:
        return f"{theirs} {'knee' if front else 'back of the knee'}"
    if y < _LOWER_LEG:
        return f"{theirs} {'shin' if front else 'calf'}"
    return f"{theirs} {'foot' if front else 'heel'}"
