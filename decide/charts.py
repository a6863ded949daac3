"""Results as a bar chart image people can read on a phone, drawn by matplotlib: a vote's
counts, biggest first, or a trend (success ratings meeting by meeting) in its own order.

Drawn with the Agg backend (a Figure without pyplot needs no screen). Labels are the
options' own words and the reader's language; for a right-to-left language
the chart is mirrored and Arabic-script labels are shaped and ordered for display.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass

# Arabic-script letters Urdu needs are missing from matplotlib's own DejaVu Sans; where the
# machine has Scheherazade (Debian's fonts-sil-scheherazade), each missing glyph falls back to it.
FONTS = ["DejaVu Sans", "Amiri"]
WIDTH_PX, DPI = 1080, 150  # the width of a phone screen at full resolution
BAR_HEIGHT_PX = 110
LABEL_MAX = 40


@dataclass(frozen=True)
class Chart:
    png: bytes
    labels: list[str]  # what the bars say, in order, as drawn
    values: list[float]
    width: int
    height: int


def _installed(name: str) -> bool:
    from matplotlib import font_manager

    return any(entry.name == name for entry in font_manager.fontManager.ttflist)


def _display(text: str, rtl: bool) -> str:
    """Shape and order right-to-left text for a renderer that draws glyphs left to right."""
    text = text if len(text) <= LABEL_MAX else text[: LABEL_MAX - 1] + "…"
    if not rtl:
        return text
    import arabic_reshaper  # only right-to-left readers need these
    from bidi.algorithm import get_display

    return str(get_display(arabic_reshaper.reshape(text)))


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}"


def bar_chart(
    title: str,
    labels: Sequence[str],
    values: Sequence[float],
    *,
    rtl: bool = False,
    in_order: bool = False,
    top: float | None = None,
) -> Chart:
    """One horizontal bar per option, each labelled with its value: biggest first, or
    `in_order` (a trend, first at the top); `top` fixes the scale (5 for a 1-5 rating)."""
    order = list(range(len(labels))) if in_order else sorted(range(len(labels)), key=lambda i: -values[i])
    shown = [_display(labels[i], rtl) for i in order]
    counts = [values[i] for i in order]
    height_px = 220 + BAR_HEIGHT_PX * max(len(shown), 1)
    # Imported here, not at start-up: matplotlib takes a second to load, and only charts need it.
    import matplotlib
    from matplotlib.figure import Figure

    matplotlib.rcParams["font.family"] = [name for name in FONTS if _installed(name)]
    figure = Figure(figsize=(WIDTH_PX / DPI, height_px / DPI), dpi=DPI)
    axes = figure.add_subplot()
    positions = list(range(len(shown)))[::-1]
    axes.barh(positions, counts, color="#1d70b8", height=0.6)
    axes.set_yticks(positions, shown, fontsize=12)
    axes.set_title(_display(title, rtl), fontsize=14, loc="right" if rtl else "left")
    top = top or max(counts, default=0) or 1
    axes.set_xlim(0, top * 1.15)
    for position, count in zip(positions, counts, strict=True):
        axes.text(count + top * 0.02, position, _number(count), va="center", fontsize=12)
    axes.spines[["top", "right"]].set_visible(False)
    axes.set_xticks([])
    if rtl:
        axes.invert_xaxis()
        axes.yaxis.tick_right()
        axes.spines[["right"]].set_visible(True)
        axes.spines[["left"]].set_visible(False)
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=DPI)
    return Chart(buffer.getvalue(), shown, counts, WIDTH_PX, height_px)
