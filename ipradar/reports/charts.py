"""Charts as inline SVG (matplotlib, no pyplot state): 12-week trend, forum mix, sector heat table, province bar.

SVG text is kept as text (``svg.fonttype = none``) so the HTML's CJK font renders it and the bytes do not depend
on glyph outlines; ids are salted with a constant and the date is left out, so the same data gives the same SVG.
"""

from __future__ import annotations

import functools
import io
from collections.abc import Mapping, Sequence
from typing import Any, cast

import matplotlib
from markupsafe import Markup
from matplotlib.figure import Figure

PALETTE = ["#b31b1b", "#e36209", "#bf8700", "#1f6feb", "#57606a", "#8250df", "#1a7f37"]
FAMILIES = ["Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Zen Hei", "DejaVu Sans"]
RC: dict[str, Any] = {
    "svg.fonttype": "none",
    "svg.hashsalt": "ipradar",
    "font.size": 8,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.unicode_minus": False,
}


@functools.cache
def _rc() -> dict[str, Any]:
    # Only families matplotlib can find (it logs a warning per missing one); text stays text in the SVG, so the
    # font named here only sets the layout metrics.
    from matplotlib import font_manager

    installed = {f.name for f in font_manager.fontManager.ttflist}
    return {**RC, "font.family": [f for f in FAMILIES if f in installed] or ["DejaVu Sans"]}


def _svg(fig: Figure) -> Markup:
    buf = io.StringIO()
    with matplotlib.rc_context(cast(Any, _rc())):
        fig.savefig(buf, format="svg", metadata={"Date": None, "Creator": "ipradar"}, bbox_inches="tight")
    text = buf.getvalue()
    # Drop the XML prolog and DOCTYPE so the SVG can sit inline in HTML.
    start = text.index("<svg")
    return Markup(text[start:])  # matplotlib escapes the label text it writes


def _short(label: str) -> str:
    """2026-W47 → W47 on a crowded axis; years and months stay whole."""
    return label.split("-")[-1] if "-W" in label else label


def _figure(width: float = 6.4, height: float = 2.4) -> Figure:
    with matplotlib.rc_context(cast(Any, _rc())):
        return Figure(figsize=(width, height), dpi=72)


def trend_line(weeks: Sequence[str], series: Mapping[str, Sequence[float]], title: str) -> Markup | None:
    """One line per series over the weeks (oldest first)."""
    if not any(any(v) for v in series.values()):
        return None
    with matplotlib.rc_context(cast(Any, _rc())):
        fig = _figure()
        ax = fig.add_subplot()
        for i, (name, values) in enumerate(series.items()):
            ax.plot(range(len(weeks)), values, marker="o", markersize=3, color=PALETTE[i % len(PALETTE)], label=name)
        ax.set_xticks(range(len(weeks)), [_short(w) for w in weeks])
        ax.set_title(title, loc="left")
        ax.set_ylim(bottom=0)
        ax.legend(frameon=False, loc="upper center", bbox_to_anchor=(0.5, -0.12), ncol=len(series))
        return _svg(fig)


def stacked_bars(weeks: Sequence[str], stacks: Mapping[str, Sequence[float]], title: str) -> Markup | None:
    """Stacked bars per week; ``stacks`` maps category → values (oldest week first)."""
    if not any(any(v) for v in stacks.values()):
        return None
    with matplotlib.rc_context(cast(Any, _rc())):
        fig = _figure()
        ax = fig.add_subplot()
        bottom = [0.0] * len(weeks)
        for i, (name, values) in enumerate(stacks.items()):
            ax.bar(range(len(weeks)), values, bottom=bottom, color=PALETTE[i % len(PALETTE)], label=name, width=0.7)
            bottom = [b + v for b, v in zip(bottom, values, strict=True)]
        ax.set_xticks(range(len(weeks)), [_short(w) for w in weeks])
        ax.set_title(title, loc="left")
        ax.legend(frameon=False, fontsize=7, ncol=min(5, len(stacks)), loc="upper center", bbox_to_anchor=(0.5, -0.12))
        return _svg(fig)


def heat_table(rows: Sequence[str], cols: Sequence[str], values: Sequence[Sequence[int]], title: str) -> Markup | None:
    """A heat map with the count written in each cell (rows: sectors, columns: weeks)."""
    if not rows or not any(any(r) for r in values):
        return None
    with matplotlib.rc_context(cast(Any, _rc())):
        fig = _figure(6.4, 0.35 * len(rows) + 0.9)
        ax = fig.add_subplot()
        peak = max(max(r) for r in values) or 1
        ax.imshow(values, cmap="Reds", aspect="auto", vmin=0, vmax=peak)
        for y, row in enumerate(values):
            for x, v in enumerate(row):
                if v:
                    ax.text(x, y, str(v), ha="center", va="center", fontsize=7,
                            color="white" if v > peak / 2 else "#1b1f23")
        ax.set_xticks(range(len(cols)), [_short(c) for c in cols])
        ax.set_yticks(range(len(rows)), rows)
        ax.set_title(title, loc="left")
        for spine in ax.spines.values():
            spine.set_visible(False)
        return _svg(fig)


def highlight_bars(labels: Sequence[str], values: Sequence[int], highlight: set[str], title: str) -> Markup | None:
    """Horizontal bars, largest on top; labels in ``highlight`` (Shanghai) drawn in red."""
    if not labels:
        return None
    with matplotlib.rc_context(cast(Any, _rc())):
        fig = _figure(6.4, 0.3 * len(labels) + 0.8)
        ax = fig.add_subplot()
        colours = [PALETTE[0] if lab in highlight else PALETTE[4] for lab in labels]
        ax.barh(range(len(labels)), values, color=colours)
        ax.set_yticks(range(len(labels)), labels)
        ax.invert_yaxis()
        ax.set_title(title, loc="left")
        return _svg(fig)
