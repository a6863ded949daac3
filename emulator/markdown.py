"""Telegram's MarkdownV2 and legacy Markdown parse modes: markup in, (text, entities) out.

MarkdownV2's rule that `_*[]()~`>#+-=|{}.!` must be escaped outside markup is the most
common reason a real bot's message bounces, so it is enforced with Telegram's wording.
Offsets are UTF-16 code units. Kept deliberately simpler than Telegram's parser: blockquotes
are recognised line by line and entities must not straddle their ends.
"""

from __future__ import annotations

from dataclasses import dataclass

from emulator.html import Entity, EntityParseError, utf16_len

_RESERVED = set("_*[]()~`>#+-=|{}.!")
_TOGGLES = {"*": "bold", "_": "italic", "__": "underline", "~": "strikethrough", "||": "spoiler"}
_NAMES = {
    "bold": "Bold",
    "italic": "Italic",
    "underline": "Underline",
    "strikethrough": "Strikethrough",
    "spoiler": "Spoiler",
    "text_link": "TextUrl",
    "custom_emoji": "CustomEmoji",
}


@dataclass
class _Open:
    kind: str
    start: int  # UTF-16 offset in the output
    index: int  # index in the source, for error offsets


class _V2:
    def __init__(self, source: str) -> None:
        self.src = source
        self.n = len(source)
        self.out: list[str] = []
        self.pos16 = 0
        self.stack: list[_Open] = []
        self.entities: list[Entity] = []
        self.quote: _Open | None = None

    def offset(self, index: int) -> int:
        return len(self.src[:index].encode("utf-8"))

    def unclosed(self, entity: _Open) -> EntityParseError:
        return EntityParseError(
            f"Can't find end of {_NAMES[entity.kind]} entity at byte offset {self.offset(entity.index)}"
        )

    def emit(self, text: str) -> None:
        self.out.append(text)
        self.pos16 += utf16_len(text)

    def add(self, kind: str, start: int, **extra: str) -> None:
        if self.pos16 > start:
            self.entities.append({"type": kind, "offset": start, "length": self.pos16 - start, **extra})

    def run(self) -> tuple[str, list[Entity]]:
        src, n = self.src, self.n
        i = 0
        while i < n:
            c = src[i]
            after_quote_mark = self.quote_start(i) if i == 0 or src[i - 1] == "\n" else 0
            if after_quote_mark:
                i = after_quote_mark
                continue
            if c == "\\" and i + 1 < n and 0 < ord(src[i + 1]) <= 126:
                self.emit(src[i + 1])
                i += 2
                continue
            if c == "\n":
                self.newline(i)
                i += 1
                continue
            if c not in _RESERVED:
                j = i + 1
                while j < n and src[j] not in _RESERVED and src[j] not in "\\\n":
                    j += 1
                self.emit(src[i:j])
                i = j
                continue
            i = self.markup(i)
        if self.quote is not None:
            self.close_quote()
        if self.stack:
            top = self.stack[-1]
            raise self.unclosed(top)
        self.entities.sort(key=lambda e: (e["offset"], -e["length"]))
        return "".join(self.out), self.entities

    # --- block quotes ---------------------------------------------------------------------
    def quote_start(self, i: int) -> int:
        """Index after a line-opening '>' or '**>', 0 when the line doesn't open a quote."""
        src = self.src
        if src.startswith(">", i):
            if self.quote is None:
                self.quote = _Open("blockquote", self.pos16, i)
            return i + 1
        if src.startswith("**>", i):
            if self.quote is not None:
                self.close_quote()
            self.quote = _Open("expandable_blockquote", self.pos16, i)
            return i + 3
        return 0

    def newline(self, i: int) -> None:
        nxt = self.src[i + 1 : i + 2]
        if self.quote is not None and nxt != ">":
            self.close_quote()
        self.emit("\n")

    def close_quote(self) -> None:
        assert self.quote is not None
        self.add(self.quote.kind, self.quote.start)
        self.quote = None

    # --- inline markup --------------------------------------------------------------------
    def markup(self, i: int) -> int:
        src, n = self.src, self.n
        c = src[i]
        if c == "`":
            return self.code(i)
        if c == "|" and src.startswith("||", i):
            if (
                self.quote is not None
                and self.quote.kind == "expandable_blockquote"
                and (i + 2 == n or src[i + 2] == "\n")
                and not any(o.kind == "spoiler" for o in self.stack)
            ):
                self.close_quote()
                return i + 2
            return self.toggle("spoiler", i, 2)
        if c == "_" and src.startswith("__", i):
            return self.toggle("underline", i, 2)
        if c in "*_~":
            return self.toggle(_TOGGLES[c], i, 1)
        if c == "[":
            self.stack.append(_Open("text_link", self.pos16, i))
            return i + 1
        if c == "!" and src.startswith("![", i):
            self.stack.append(_Open("custom_emoji", self.pos16, i))
            return i + 2
        if c == "]" and self.stack and self.stack[-1].kind in ("text_link", "custom_emoji"):
            return self.link_end(i)
        raise EntityParseError(f"Character '{c}' is reserved and must be escaped with the preceding '\\'")

    def toggle(self, kind: str, i: int, width: int) -> int:
        if self.stack and self.stack[-1].kind == kind:
            top = self.stack.pop()
            self.add(kind, top.start)
        elif any(o.kind == kind for o in self.stack):
            top = self.stack[-1]
            raise self.unclosed(top)
        else:
            self.stack.append(_Open(kind, self.pos16, i))
        return i + width

    def link_end(self, i: int) -> int:
        src, n = self.src, self.n
        top = self.stack.pop()
        if i + 1 >= n or src[i + 1] != "(":
            return i + 1  # "[text]" without a URL is just text
        j, url = i + 2, []
        while j < n and src[j] != ")":
            if src[j] == "\\" and j + 1 < n and 0 < ord(src[j + 1]) <= 126:
                j += 1
            url.append(src[j])
            j += 1
        if j >= n:
            raise EntityParseError(f"Can't find end of a URL at byte offset {self.offset(i + 1)}")
        link = "".join(url)
        if top.kind == "custom_emoji":
            emoji_id = link.partition("tg://emoji?id=")[2]
            if not emoji_id.isdigit():
                raise EntityParseError("Invalid custom emoji identifier specified")
            self.add("custom_emoji", top.start, custom_emoji_id=emoji_id)
        elif link:
            self.add("text_link", top.start, url=link)
        return j + 1

    def code(self, i: int) -> int:
        src, n = self.src, self.n
        pre = src.startswith("```", i)
        j = i + (3 if pre else 1)
        language = ""
        if pre:
            line_end = src.find("\n", j)
            first_line = src[j:line_end] if line_end >= 0 else ""
            if line_end >= 0 and not any(ch.isspace() for ch in first_line) and "`" not in first_line:
                language, j = first_line, line_end + 1
        start, chunk = self.pos16, []
        fence = "```" if pre else "`"
        while j < n and not src.startswith(fence, j):
            if src[j] == "\\" and j + 1 < n and 0 < ord(src[j + 1]) <= 126:
                j += 1
            chunk.append(src[j])
            j += 1
        if j >= n:
            name = "Pre" if pre else "Code"
            raise EntityParseError(f"Can't find end of {name} entity at byte offset {self.offset(i)}")
        self.emit("".join(chunk))
        if pre:
            self.add("pre", start, **({"language": language} if language else {}))
        else:
            self.add("code", start)
        return j + len(fence)


def parse_markdown_v2(text: str) -> tuple[str, list[Entity]]:
    """(plain text, entities) of a MarkdownV2 text; EntityParseError when Telegram would refuse."""
    return _V2(text).run()


_LEGACY = {"*": "bold", "_": "italic", "`": "code"}


def parse_markdown(text: str) -> tuple[str, list[Entity]]:
    """Legacy Markdown: *bold*, _italic_, `code`, ```pre```, [text](url); no nesting."""
    out: list[str] = []
    entities: list[Entity] = []
    pos16, i, n = 0, 0, len(text)
    while i < n:
        c = text[i]
        if c == "\\" and i + 1 < n and text[i + 1] in "_*`[":
            out.append(text[i + 1])
            pos16 += 1
            i += 2
            continue
        if c not in "_*`[":
            out.append(c)
            pos16 += utf16_len(c)
            i += 1
            continue
        begin = i
        if text.startswith("```", i):
            end = text.find("```", i + 3)
            kind, body_start, width = "pre", i + 3, 3
        elif c == "[":
            end = text.find("]", i + 1)
            kind, body_start, width = "text_link", i + 1, 1
        else:
            end = text.find(c, i + 1)
            kind, body_start, width = _LEGACY[c], i + 1, 1
        if end < 0:
            raise EntityParseError(
                f"Can't find end of the entity starting at byte offset {len(text[:begin].encode('utf-8'))}"
            )
        body = text[body_start:end]
        i = end + width
        extra: dict[str, str] = {}
        if kind == "text_link" and text.startswith("(", i):
            close = text.find(")", i)
            if close < 0:
                raise EntityParseError(
                    f"Can't find end of the entity starting at byte offset {len(text[:begin].encode('utf-8'))}"
                )
            extra["url"] = text[i + 1 : close]
            i = close + 1
        length = utf16_len(body)
        out.append(body)
        if length and (kind != "text_link" or extra.get("url")):
            entities.append({"type": kind, "offset": pos16, "length": length, **extra})
        pos16 += length
    return "".join(out), entities
