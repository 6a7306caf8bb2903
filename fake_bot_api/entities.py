"""Telegram-flavoured HTML: validated like Telegram does, turned into plain text and entities.

Entity offsets and lengths count UTF-16 code units, as Telegram's do.
"""

from __future__ import annotations

import re
from typing import Any

Json = dict[str, Any]


class HtmlParseError(ValueError):
    """The detail of Telegram's ``Bad Request: can't parse entities: ...``."""


_HTML_TAGS: dict[str, str] = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "a": "text_link",
    "code": "code",
    "pre": "pre",
    "tg-spoiler": "spoiler",
    "span": "spoiler",
    "blockquote": "blockquote",
    "tg-emoji": "custom_emoji",
}
_ATTR = r"[^\s=<>/\"']+(?:\s*=\s*(?:\"[^\"]*\"|'[^']*'|[^\s\"'<>`]+))?"
_TAG_RE = re.compile(rf"<(/?)([A-Za-z][A-Za-z0-9-]*)((?:\s+{_ATTR})*)\s*>")
_ATTR_RE = re.compile(r"([^\s=<>/\"']+)(?:\s*=\s*(?:\"([^\"]*)\"|'([^']*)'|([^\s\"'<>`]+)))?")
_CHAR_REF_RE = re.compile(r"&(?:#([0-9]+)|#[xX]([0-9A-Fa-f]+)|([A-Za-z][A-Za-z0-9]*));")
_NAMED_REFS = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}


def utf16_len(text: str) -> int:
    """Length in UTF-16 code units, the unit of Telegram entity offsets."""
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def _byte_offset(text: str, pos: int) -> int:
    return len(text[:pos].encode("utf-8", "surrogatepass"))


def _tag_attributes(source: str) -> dict[str, str]:
    attributes: dict[str, str] = {}
    for match in _ATTR_RE.finditer(source):
        value = next((g for g in match.groups()[1:] if g is not None), "")
        attributes[match.group(1).lower()] = _unescape_attribute(value)
    return attributes


def _unescape_attribute(value: str) -> str:
    def replace(match: re.Match[str]) -> str:
        return _decode_char_ref(match) or match.group(0)

    return _CHAR_REF_RE.sub(replace, value)


def _decode_char_ref(match: re.Match[str]) -> str | None:
    decimal, hexadecimal, name = match.groups()
    if name is not None:
        return _NAMED_REFS.get(name)
    code = int(decimal) if decimal is not None else int(hexadecimal, 16)
    if not 0 < code <= 0x10FFFF or 0xD800 <= code <= 0xDFFF:
        return None
    return chr(code)


def _start_entity(name: str, attributes: dict[str, str], at: int) -> Json | None:
    if name == "a":
        href = attributes.get("href", "")
        return {"type": "text_link", "url": href} if href else None
    if name == "span" and attributes.get("class") != "tg-spoiler":
        raise HtmlParseError(f'Tag "span" must have class "tg-spoiler" at byte offset {at}')
    if name == "tg-emoji":
        emoji_id = attributes.get("emoji-id", "")
        if not emoji_id.isdigit():
            raise HtmlParseError(
                f"Custom emoji entity must contain a valid custom emoji identifier "
                f"at byte offset {at}"
            )
        return {"type": "custom_emoji", "custom_emoji_id": emoji_id}
    if name == "blockquote" and "expandable" in attributes:
        return {"type": "expandable_blockquote"}
    if name == "code" and attributes.get("class", "").startswith("language-"):
        return {"type": "code", "language": attributes["class"].removeprefix("language-")}
    return {"type": _HTML_TAGS[name]}


def parse_html(text: str) -> tuple[str, list[Json]]:
    """Validate Telegram-flavoured HTML; return ``(plain_text, entities)`` like Telegram does.

    Raises :class:`HtmlParseError` for unsupported tags, bad nesting and unescaped
    ``<``, ``>`` or ``&``.
    """
    plain: list[str] = []
    offset = 0  # UTF-16 position in the plain text
    open_tags: list[tuple[str, int, Json | None]] = []
    entities: list[Json] = []
    pos = 0
    while pos < len(text):
        char = text[pos]
        if char == "<":
            at = _byte_offset(text, pos)
            match = _TAG_RE.match(text, pos)
            if match is None:
                if re.match(r"</?[A-Za-z]", text[pos : pos + 2]):
                    raise HtmlParseError(f"Unclosed start tag at byte offset {at}")
                raise HtmlParseError(
                    f"Unsupported start tag at byte offset {at}: '<' must be escaped as &lt;"
                )
            closing, name = match.group(1) == "/", match.group(2).lower()
            if closing:
                if not open_tags:
                    raise HtmlParseError(f"Unexpected end tag at byte offset {at}")
                opened, start, entity = open_tags.pop()
                if opened != name:
                    raise HtmlParseError(
                        f'Unmatched end tag at byte offset {at}, expected "</{opened}>", '
                        f'found "</{name}>"'
                    )
                if entity is not None:
                    language = entity.pop("language", None)
                    parent = open_tags[-1] if open_tags else None
                    if name == "code" and language and parent and parent[0] == "pre":
                        if parent[2] is not None:
                            parent[2]["language"] = language
                    elif offset > start:
                        if name == "pre" and language:
                            entity["language"] = language
                        entities.append({**entity, "offset": start, "length": offset - start})
            else:
                if name not in _HTML_TAGS:
                    raise HtmlParseError(f'Unsupported start tag "{name}" at byte offset {at}')
                entity = _start_entity(name, _tag_attributes(match.group(3)), at)
                open_tags.append((name, offset, entity))
            pos = match.end()
            continue
        if char == "&":
            match = _CHAR_REF_RE.match(text, pos)
            decoded = _decode_char_ref(match) if match else None
            if match is None or decoded is None:
                raise HtmlParseError(
                    f"Character '&' must be escaped as &amp; "
                    f"(unsupported HTML entity at byte offset {_byte_offset(text, pos)})"
                )
            plain.append(decoded)
            offset += utf16_len(decoded)
            pos = match.end()
            continue
        if char == ">":
            raise HtmlParseError(
                f"Character '>' must be escaped as &gt; (byte offset {_byte_offset(text, pos)})"
            )
        plain.append(char)
        offset += 2 if ord(char) > 0xFFFF else 1
        pos += 1
    if open_tags:
        raise HtmlParseError(f'Can\'t find end tag corresponding to start tag "{open_tags[-1][0]}"')
    entities.sort(key=lambda entity: (entity["offset"], -entity["length"]))
    return "".join(plain), entities
