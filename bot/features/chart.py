"""The /trend chart: balance over time and the areas of the latest check-in (PNG)."""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import date

import matplotlib

matplotlib.use("Agg")  # no display: render to memory

from matplotlib import pyplot as plt
from matplotlib.figure import Figure


def trend_png(points: Sequence[tuple[date, int]], areas: Sequence[tuple[str, int]]) -> bytes:
    """A phone-readable PNG: the balance line (oldest first) above the area bars."""
    figure = Figure(figsize=(6, 7.5), dpi=120)
    top, bottom = figure.subplots(2, 1, gridspec_kw={"height_ratios": [1, 1.1]})
    days = list(range(len(points)))  # positions: two check-ins on one day stay apart
    values = [v for _, v in points]
    top.axhspan(0, 100, color="#e8f5e9")
    top.axhspan(-100, 0, color="#fff3e0")
    top.axhline(0, color="#888888", linewidth=1)
    top.plot(days, values, marker="o", linewidth=2.5, color="#5e35b1")
    for x, y in zip(days, values, strict=True):
        top.annotate(
            f"{y:+d}", (x, y), textcoords="offset points", xytext=(0, 9), ha="center", fontsize=11
        )
    top.set_xticks(days, [d.strftime("%d %b") for d, _ in points])
    top.set_ylim(-110, 110)
    top.set_title("Give and take over time", fontsize=15)
    top.set_ylabel("← I give more · I receive more →", fontsize=10)
    top.tick_params(axis="x", labelrotation=30, labelsize=10)
    labels = [label for label, _ in areas]
    scores = [score for _, score in areas]
    colours = ["#c62828" if s < 40 else "#f9a825" if s < 70 else "#2e7d32" for s in scores]
    bottom.barh(labels, scores, color=colours)
    bottom.invert_yaxis()
    bottom.set_xlim(0, 100)
    bottom.set_title("Latest check-in, by area (higher is healthier)", fontsize=13)
    bottom.tick_params(labelsize=11)
    for y, score in enumerate(scores):
        bottom.text(min(score + 2, 90), y, str(score), va="center", fontsize=11)
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    plt.close("all")
    return buffer.getvalue()
