"""A small server-drawn SVG chart of cramp frequency across visits (no JavaScript needed).

It draws whatever is stored: a value above the intake's limit (saved before the limit
existed) is drawn at the limit and labelled "100+"; a visit without a usable number is left
out of the chart rather than breaking the patient's page.
"""

import math

from django.utils.html import format_html, format_html_join

from workup.engine import LIMITS

WIDTH, HEIGHT, PAD = 480, 160, 32
LOW, HIGH = LIMITS["cramps.episodes_per_week"]


def cramp_frequency_svg(consultations) -> str:
    points = [
        (c.date, *v)
        for c in consultations
        if (v := _per_week(c.intake)) is not None and c.date is not None
    ]
    if not points:
        return ""
    top = max(max(v for _, v, _ in points), 1.0)
    step = (WIDTH - 2 * PAD) / max(len(points) - 1, 1)

    def xy(i, v):
        return PAD + i * step, HEIGHT - PAD - (HEIGHT - 2 * PAD) * v / top

    coords = [xy(i, v) for i, (_, v, _) in enumerate(points)]
    line = " ".join(f"{x:.1f},{y:.1f}" for x, y in coords)
    dots = format_html_join(
        "",
        '<circle cx="{}" cy="{}" r="4"><title>{}: {} a week'
        '</title></circle><text x="{}" y="{}" class="label">{}</text>'
        '<text x="{}" y="{}" class="axis">{}</text>',
        (
            (
                f"{x:.1f}",
                f"{y:.1f}",
                d.strftime("%d %b %Y"),
                label,
                f"{x:.1f}",
                f"{y - 8:.1f}",
                label,
                f"{x:.1f}",
                HEIGHT - 10,
                d.strftime("%-d %b"),
            )
            for (x, y), (d, _, label) in zip(coords, points, strict=True)
        ),
    )
    return format_html(
        '<svg class="cramp-chart" viewBox="0 0 {} {}" role="img" aria-label="Cramps per week '
        'at each visit"><line x1="{}" y1="{}" x2="{}" y2="{}" class="base"/>'
        '<polyline points="{}" class="trend"/>{}</svg>',
        WIDTH,
        HEIGHT,
        PAD,
        HEIGHT - PAD,
        WIDTH - PAD,
        HEIGHT - PAD,
        line,
        dots,
    )


def _per_week(intake) -> tuple[float, str] | None:
    """The stored cramps per week clamped to the intake's limits, and its label; None when
    it is not a number."""
    try:
        value = intake["cramps"]["episodes_per_week"]
        if isinstance(value, bool):
            return None
        value = float(value)
    except OverflowError:  # an int too large for a float
        value = math.inf if value > 0 else -math.inf
    except (KeyError, TypeError, ValueError):
        return None
    if math.isnan(value):
        return None
    if value > HIGH:
        return HIGH, f"{HIGH:g}+"
    value = max(value, LOW)
    return value, f"{value:g}"
