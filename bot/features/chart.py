"""The /trend chart: give and take over time and the areas of the latest check-in (PNG)."""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence

import matplotlib

matplotlib.use("Agg")  # no display: render to memory

from matplotlib import pyplot as plt
from matplotlib.figure import Figure

NEUTRAL = "#eceff1"  # "about even": the calm centre
LEANING = "#fff3e0"  # one-sided, either way: the same warm tint on both sides
FLOOR = 1.5  # a zero score still shows as a sliver, with its value beside it


def trend_png(
    points: Sequence[tuple[str, int]],
    areas: Sequence[tuple[str, int]],
    texts: Mapping[str, str],
    *,
    partner: Sequence[int | None] | None = None,
) -> bytes:
    """A phone-readable PNG: the balance line (oldest first, one labelled point per
    check-in) above the area bars of the latest check-in. ``texts``: the chart's words
    in the user's language (``chart-title``, ``chart-axis``, ``chart-even``,
    ``chart-areas``, and with ``partner`` ``chart-you`` and ``chart-partner``).
    ``partner``: the partner's balance at each point, on the reader's side (``None``
    where that week was not shared), drawn dashed beside the reader's line."""
    figure = Figure(figsize=(6, 7.5), dpi=120)
    top, bottom = figure.subplots(2, 1, gridspec_kw={"height_ratios": [1, 1.1]})
    xs = list(range(len(points)))  # positions: two check-ins on one day stay apart
    values = [v for _, v in points]
    top.axhspan(-110, -20, color=LEANING)
    top.axhspan(20, 110, color=LEANING)
    top.axhspan(-20, 20, color=NEUTRAL)
    top.axhline(0, color="#607d8b", linewidth=1.2)
    top.text(
        len(points) - 0.5,
        3,
        texts["chart-even"],
        ha="right",
        va="bottom",
        fontsize=9,
        color="#455a64",
    )
    top.plot(xs, values, marker="o", linewidth=2.5, color="#5e35b1", label=texts.get("chart-you"))
    if partner is not None:
        shared = [(x, b) for x, b in zip(xs, partner, strict=True) if b is not None]
        top.plot(
            [x for x, _ in shared],
            [b for _, b in shared],
            marker="s",
            linestyle="--",
            linewidth=2,
            color="#00897b",
            label=texts.get("chart-partner"),
        )
        top.legend(loc="lower left", fontsize=9)
    for x, y in zip(xs, values, strict=True):
        offset = 9 if y < 90 else -16
        top.annotate(
            f"{y:+d}",
            (x, y),
            textcoords="offset points",
            xytext=(0, offset),
            ha="center",
            fontsize=11,
        )
    top.set_xticks(xs, [label for label, _ in points])
    top.set_xlim(-0.5, len(points) - 0.5)
    top.set_ylim(-110, 110)
    top.set_yticks([-100, -50, 0, 50, 100])
    top.set_title(texts["chart-title"], fontsize=15)
    top.set_ylabel(texts["chart-axis"], fontsize=10)
    top.tick_params(axis="x", labelrotation=30, labelsize=9)
    labels = [label for label, _ in areas]
    scores = [score for _, score in areas]
    colours = ["#c62828" if s <= 50 else "#f9a825" if s < 75 else "#2e7d32" for s in scores]
    bottom.barh(labels, [max(s, FLOOR) for s in scores], color=colours)
    bottom.invert_yaxis()
    bottom.set_xlim(0, 112)
    bottom.set_xticks([0, 25, 50, 75, 100])
    bottom.axvline(0, color="#455a64", linewidth=1.5)
    bottom.set_title(texts["chart-areas"], fontsize=12)
    bottom.tick_params(labelsize=10)
    for y, score in enumerate(scores):
        bottom.text(max(score, FLOOR) + 2, y, str(score), va="center", fontsize=11)
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    plt.close("all")
    return buffer.getvalue()
