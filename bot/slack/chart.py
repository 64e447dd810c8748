"""The team chart: each rep's secured rate as a PNG (matplotlib, no display). Pure:
rows in, PNG bytes out."""

from __future__ import annotations

import io
from collections.abc import Sequence

from bot.slack.model import TeamRow

MAX_REPS = 30


def team_chart_png(rows: Sequence[TeamRow]) -> bytes:
    """A horizontal bar per rep: the share of their recent calls that ended secured."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    shown = sorted(rows, key=lambda r: (r.secured_rate, r.rep))[:MAX_REPS]
    figure = Figure(figsize=(7, 0.45 * len(shown) + 1.4), dpi=100)
    axes = figure.add_subplot()
    names = [r.rep for r in shown]
    rates = [100 * r.secured_rate for r in shown]
    bars = axes.barh(names, rates, color=["#c0392b" if v < 50 else "#1d3b2a" for v in rates])
    for bar, row in zip(bars, shown, strict=True):
        axes.text(
            bar.get_width() + 1,
            bar.get_y() + bar.get_height() / 2,
            f"{row.secured}/{row.calls}",
            va="center",
            fontsize=9,
        )
    axes.set_xlim(0, 110)
    axes.set_xlabel("calls that ended with a secured next step (%)")
    axes.set_title("Secured next steps by rep")
    figure.tight_layout()
    out = io.BytesIO()
    figure.savefig(out, format="png")
    return out.getvalue()
