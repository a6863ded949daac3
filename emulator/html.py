"""Telegram's HTML parse mode: markup in, (plain text, MessageEntity dicts) out.

Follows the rules and error wording of Telegram's own parser (tdlib), so a bot that forgets
to escape user input fails here as it would in production. One deliberate difference: an
`&` that doesn't start one of the supported entities is an error here (Telegram passes it
through), because the documentation requires it escaped and it is nearly always a missing
`html.escape`. Offsets and lengths are in UTF-16 code units, as the Bot API counts them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

Entity = dict[str, Any]

_SIMPLE_TAGS = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "tg-spoiler": "spoiler",
    "span": "spoiler",
    "code": "code",
    "pre": "pre",
    "blockquote": "blockquote",
    "a": "text_link",
    "tg-emoji": "custom_emoji",
}
_NAMED_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_SPECIAL = re.compile(r"[<&]")
_SPACES = " \t\r\n\f\v"
_UNQUOTED_VALUE = re.compile(r"[A-Za-z0-9.\-]*")
_ENTITY = re.compile(r"&(#[xX][0-9A-Fa-f]{1,8}|#[0-9]{1,10}|[A-Za-z][A-Za-z0-9]{0,31});?")


class EntityParseError(ValueError):
    """Raised with the text Telegram puts after "Bad Request: can't parse entities: "."""


def utf16_len(text: str) -> int:
    """Length as Telegram counts it: characters outside the BMP count twice."""
    if text.isascii():
        return len(text)
    return len(text.encode("utf-16-le")) // 2


@dataclass
class _Open:
    tag: str
    byte_offset: int
    start: int  # UTF-16 offset in the output
    attrs: dict[str, str] = field(default_factory=dict)


class _Parser:
    def __init__(self, source: str) -> None:
        self.src = source
        self.n = len(source)
        self.out: list[str] = []
        self.pos16 = 0
        self.stack: list[_Open] = []
        self.entities: list[Entity] = []

    def byte_offset(self, index: int) -> int:
        return len(self.src[:index].encode("utf-8"))

    def fail(self, message: str, index: int | None = None) -> EntityParseError:
        if index is not None:
            message = f"{message} at byte offset {self.byte_offset(index)}"
        return EntityParseError(message)

    def emit(self, text: str) -> None:
        self.out.append(text)
        self.pos16 += utf16_len(text)

    def run(self) -> tuple[str, list[Entity]]:
        src, i = self.src, 0
        while True:
            match = _SPECIAL.search(src, i)
            stop = match.start() if match else self.n
            if stop > i:
                self.emit(src[i:stop])
            if match is None:
                break
            i = self.entity(stop) if src[stop] == "&" else self.tag(stop)
        if self.stack:
            raise EntityParseError(f'Can\'t find end tag corresponding to start tag "{self.stack[-1].tag}"')
        return "".join(self.out), _normalise(self.entities)

    # --- &entities; -----------------------------------------------------------------------
    def entity(self, at: int) -> int:
        decoded, end = decode_entity(self.src, at)
        if decoded is None:
            snippet = self.src[at : at + 12].split(" ")[0]
            raise self.fail(f'Unsupported HTML entity or unescaped "&" ("{snippet}")', at)
        self.emit(decoded)
        return end

    def decode_attr(self, raw: str, at: int) -> str:
        parts, i = [], 0
        while True:
            j = raw.find("&", i)
            if j < 0:
                parts.append(raw[i:])
                return "".join(parts)
            parts.append(raw[i:j])
            decoded, end = decode_entity(raw, j)
            if decoded is None:
                raise self.fail('Unsupported HTML entity or unescaped "&" in an attribute value', at)
            parts.append(decoded)
            i = end

    # --- <tags> ---------------------------------------------------------------------------
    def tag(self, begin: int) -> int:
        src, n = self.src, self.n
        i = begin + 1
        if i < n and src[i] == "/":
            return self.end_tag(begin)
        while i < n and src[i] not in _SPACES and src[i] != ">":
            i += 1
        if i >= n:
            raise self.fail("Unclosed start tag", begin)
        name = src[begin + 1 : i].lower()
        if name not in _SIMPLE_TAGS:
            raise self.fail(f'Unsupported start tag "{name}"', begin)
        attrs: dict[str, str] = {}
        while True:
            while i < n and src[i] in _SPACES:
                i += 1
            if i >= n:
                raise self.fail(f'Unclosed start tag "{name}"', begin)
            if src[i] == ">":
                break
            attr_begin = i
            while i < n and src[i] not in _SPACES and src[i] not in "=>":
                i += 1
            attr = src[attr_begin:i].lower()
            if not attr:
                raise self.fail(f'Empty attribute name in the tag "{name}"', begin)
            while i < n and src[i] in _SPACES:
                i += 1
            if i >= n:
                raise self.fail(f'Unclosed start tag "{name}"', begin)
            if src[i] != "=":
                if name == "blockquote" and attr == "expandable":
                    attrs[attr] = ""
                    continue
                raise self.fail(f'Expected equal sign in declaration of an attribute of the tag "{name}"', begin)
            i += 1
            while i < n and src[i] in _SPACES:
                i += 1
            if i >= n:
                raise self.fail(f'Unclosed start tag "{name}"', begin)
            if src[i] in "\"'":
                close = src.find(src[i], i + 1)
                if close < 0:
                    raise self.fail("Unclosed start tag", begin)
                value = self.decode_attr(src[i + 1 : close], i)
                i = close + 1
                if i >= n:
                    raise self.fail("Unclosed start tag", begin)
            else:
                token = _UNQUOTED_VALUE.match(src, i)
                end = token.end() if token else i
                if end == i or (end < n and src[end] not in _SPACES and src[end] != ">"):
                    raise self.fail("Unexpected end of name token", i)
                value = src[i:end]
                i = end
            attrs.setdefault(attr, value)
        self.open(name, attrs, begin)
        return i + 1

    def open(self, name: str, attrs: dict[str, str], begin: int) -> None:
        if name == "span" and attrs.get("class") != "tg-spoiler":
            raise self.fail('Tag "span" must have class "tg-spoiler"', begin)
        if name == "tg-emoji":
            emoji_id = attrs.get("emoji-id", "")
            if not emoji_id.isdigit() or int(emoji_id) == 0:
                raise EntityParseError("Invalid custom emoji identifier specified")
        self.stack.append(_Open(name, self.byte_offset(begin), self.pos16, attrs))

    def end_tag(self, begin: int) -> int:
        src, n = self.src, self.n
        i = begin + 2
        while i < n and src[i] not in _SPACES and src[i] != ">":
            i += 1
        name = src[begin + 2 : i].lower()
        if not self.stack:
            raise self.fail("Unexpected end tag", begin)
        while i < n and src[i] in _SPACES:
            i += 1
        if i >= n or src[i] != ">":
            raise self.fail("Unclosed end tag", begin)
        top = self.stack.pop()
        if name != top.tag:
            raise self.fail(
                f"Unmatched end tag at byte offset {self.byte_offset(begin)}, "
                f'expected "</{top.tag}>", found "</{name}>"'
            )
        self.close(top)
        return i + 1

    def close(self, top: _Open) -> None:
        length = self.pos16 - top.start
        kind = _SIMPLE_TAGS[top.tag]
        parent = self.stack[-1] if self.stack else None
        if kind == "code" and parent is not None and parent.tag == "pre":
            # <pre><code class="language-x"> is one pre entity with a language.
            css = top.attrs.get("class", "")
            if css.startswith("language-") and len(css) > 9:
                parent.attrs.setdefault("language", css[9:])
            return
        if length <= 0:
            return
        entity: Entity = {"type": kind, "offset": top.start, "length": length}
        if kind == "text_link":
            url = top.attrs.get("href", "")
            if not url:
                return
            entity["url"] = url
        elif kind == "pre" and top.attrs.get("language"):
            entity["language"] = top.attrs["language"]
        elif kind == "blockquote" and "expandable" in top.attrs:
            entity["type"] = "expandable_blockquote"
        elif kind == "custom_emoji":
            entity["custom_emoji_id"] = top.attrs["emoji-id"]
        self.entities.append(entity)


def decode_entity(text: str, at: int) -> tuple[str | None, int]:
    """Decode the &...; starting at `at`: (character, index after it) or (None, at)."""
    match = _ENTITY.match(text, at)
    if match is None:
        return None, at
    body = match.group(1)
    if body[0] == "#":
        if not match.group(0).endswith(";") and match.end() < len(text) and text[match.end()].isalnum():
            return None, at
        code = int(body[2:], 16) if body[1] in "xX" else int(body[1:])
        if code == 0 or code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
            raise EntityParseError(
                "Text contains invalid Unicode characters after decoding HTML entities, "
                "check for unmatched surrogate code units"
            )
        return chr(code), match.end()
    if not match.group(0).endswith(";"):
        return None, at
    char = _NAMED_ENTITIES.get(body)
    return (char, match.end()) if char is not None else (None, at)


def _normalise(entities: list[Entity]) -> list[Entity]:
    """Telegram's order (by offset, outer first) and no entities inside code or pre."""
    if not entities:
        return entities
    entities.sort(key=lambda e: (e["offset"], -e["length"]))
    literal = [(e["offset"], e["offset"] + e["length"]) for e in entities if e["type"] in ("code", "pre")]
    if not literal:
        return entities
    kept = []
    for entity in entities:
        start, end = entity["offset"], entity["offset"] + entity["length"]
        inside = any(lo <= start and end <= hi and (lo, hi) != (start, end) for lo, hi in literal)
        if not inside or entity["type"] in ("blockquote", "expandable_blockquote"):
            kept.append(entity)
    return kept


def parse_html(text: str) -> tuple[str, list[Entity]]:
    """(plain text, entities) of an HTML-mode text; EntityParseError when Telegram would refuse."""
    if "<" not in text and "&" not in text:
        return text, []
    return _Parser(text).run()
