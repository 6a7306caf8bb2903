"""Cleaning what people type before the bot reads it."""

from __future__ import annotations

import unicodedata

MAX_ARGUMENT = 200
# Zero-width and direction marks: invisible, but they break matching.
_INVISIBLE = dict.fromkeys(
    map(
        ord,
        "\u200b\u200c\u200d\u200e\u200f\u2060\ufeff\u202a\u202b\u202c\u202d\u202e"
        "\u2066\u2067\u2068\u2069\u061c",
    ),
    None,
)


def clean_argument(text: str, limit: int = MAX_ARGUMENT) -> str:
    """NFKC-normalise, drop invisible marks and control characters, fold spaces."""
    text = unicodedata.normalize("NFKC", text[: limit * 4]).translate(_INVISIBLE)
    text = "".join(ch for ch in text if unicodedata.category(ch)[0] != "C" or ch in " \t\n")
    return " ".join(text.split())[:limit]


def short(text: str, limit: int = 40) -> str:
    """At most ``limit`` characters, with an ellipsis when cut."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def fold(text: str) -> str:
    """Text for matching what people type: case, accents, spacing and the ``_`` of
    zone names folded (``"São_Paulo "`` -> ``"sao paulo"``, ``"Ёлки"`` -> ``"елки"``)."""
    decomposed = unicodedata.normalize("NFKD", clean_argument(text).casefold())
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(bare.replace("_", " ").split())
