"""A small server-drawn SVG chart of cramp frequency across visits (no JavaScript needed)."""
from django.utils.html import format_html, format_html_join

WIDTH, HEIGHT, PAD = 480, 160, 32


def cramp_frequency_svg(consultations) -> str:
    points = [(c.date, float(c.intake["cramps"]["episodes_per_week"])) for c in consultations]
    if not points:
        return ""
    top = max(max(v for _, v in points), 1.0)
    step = (WIDTH - 2 * PAD) / max(len(points) - 1, 1)

    def xy(i, v):
        return PAD + i * step, HEIGHT - PAD - (HEIGHT - 2 * PAD) * v / top

    coords = [xy(i, v) for i, (_, v) in enumerate(points)]
    line = " ".join(f"{x:.1f},{y:.1f}" for x, y in coords)
    dots = format_html_join("", '<circle cx="{}" cy="{}" r="4"><title>{}: {} a week'
                            '</title></circle><text x="{}" y="{}" class="label">{}</text>'
                            '<text x="{}" y="{}" class="axis">{}</text>',
                            ((f"{x:.1f}", f"{y:.1f}", d.strftime("%d %b %Y"), _n(v), f"{x:.1f}",
                              f"{y - 8:.1f}", _n(v), f"{x:.1f}", HEIGHT - 10, d.strftime("%-d %b"))
                             for (x, y), (d, v) in zip(coords, points)))
    return format_html(
        '<svg class="cramp-chart" viewBox="0 0 {} {}" role="img" aria-label="Cramps per week '
        'at each visit"><line x1="{}" y1="{}" x2="{}" y2="{}" class="base"/>'
        '<polyline points="{}" class="trend"/>{}</svg>',
        WIDTH, HEIGHT, PAD, HEIGHT - PAD, WIDTH - PAD, HEIGHT - PAD, line, dots)


def _n(v: float) -> str:
    return f"{v:g}"
