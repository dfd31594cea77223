"""Fitting text to the paper by printed width: an ASCII character takes one column, anything
else two.

That is how a GB18030 printer in Chinese mode prints: each multi-byte code is a full-width
glyph (24 dots) and each ASCII byte a half-width one (12 dots in font A), so 80 mm paper holds
48 columns, 24 Chinese characters. A line longer than that is wrapped by the printer itself,
wherever it happens to be, so we wrap first: Latin text between words, Chinese between any
two characters, never starting a line with closing punctuation nor ending one with an
opening bracket.
"""

from __future__ import annotations

import re

NO_LINE_START = set("，。、；：？！）》」』】〕’”…—·,.;:?!)]%")
NO_LINE_END = set("（《「『【〔‘“([")
_TOKENS = re.compile(r"[ ]+|[\x21-\x7e]+|.", re.S)


def char_columns(ch: str) -> int:
    return 1 if ord(ch) < 0x80 else 2


def display_width(text: str) -> int:
    return sum(char_columns(c) for c in text)


def _split_long(word: str, columns: int) -> list[str]:
    parts, current, width = [], "", 0
    for ch in word:
        w = char_columns(ch)
        if width + w > columns and current:
            parts.append(current)
            current, width = "", 0
        current += ch
        width += w
    return parts + [current] if current else parts


def wrap(text: str, columns: int, indent: int = 0) -> list[str]:
    """`text` in lines of at most `columns`; lines after the first start with `indent` spaces.

    Newlines in `text` start new lines (each paragraph wrapped on its own).
    """
    if columns - indent < 4:
        raise ValueError("too narrow to wrap")
    lines: list[str] = []
    for paragraph in text.split("\n"):
        lines.extend(_wrap_paragraph(paragraph, columns, indent, first=not lines))
    return lines


def _wrap_paragraph(paragraph: str, columns: int, indent: int, first: bool) -> list[str]:
    lines: list[list[str]] = []
    current: list[str] = []
    prefix = "" if first else " " * indent
    width = len(prefix)

    def close_line() -> None:
        nonlocal current, width
        while current and current[-1].isspace():
            current.pop()
        lines.append(current)
        current, width = [], indent

    for token in _TOKENS.findall(paragraph):
        if token.isspace():
            if current:
                current.append(token)
                width += len(token)
            continue
        token_width = display_width(token)
        if width + token_width <= columns:
            current.append(token)
            width += token_width
            continue
        if token_width > columns - indent:  # a word longer than a line: cut it
            pieces = _split_long(token, columns - width) if columns - width >= 1 else []
            head = pieces[0] if pieces and width + display_width(pieces[0]) <= columns else ""
            if head:
                current.append(head)
            close_line()
            for piece in _split_long(token[len(head):], columns - indent):
                if width + display_width(piece) > columns:
                    close_line()
                current.append(piece)
                width += display_width(piece)
            continue
        carried: list[str] = []
        if token[0] in NO_LINE_START and current:
            carried.append(current.pop())  # take the character before along to the next line
        while current and current[-1] and current[-1][-1] in NO_LINE_END:
            carried.insert(0, current.pop())
        if not current or indent + sum(map(display_width, carried)) + token_width > columns:
            current.extend(carried)  # carrying would not help: break as it comes
            carried = []
        close_line()
        for piece in carried + [token]:
            current.append(piece)
            width += display_width(piece)
    close_line()
    out = []
    for i, parts in enumerate(lines):
        lead = ("" if first else " " * indent) if i == 0 else " " * indent
        out.append(lead + "".join(parts).lstrip(" "))
    return out
