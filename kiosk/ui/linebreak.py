"""Line breaking for Chinese text, which Kivy does not do.

Kivy wraps only at spaces; a Chinese sentence has none, so Kivy cuts it wherever the line
is full and a comma or full stop can start the next line. Here Han characters may break
anywhere, Latin words only at spaces, and the basic kinsoku rules hold: no line starts with
closing punctuation and none ends with an opening bracket.
"""

from __future__ import annotations

import re
from typing import Callable

NO_LINE_START = set("，。、；：？！）」』】》〉”’…—%,.;:?!)]}·～")
NO_LINE_END = set("（「『【《〈“‘([{")
# A Latin word with its trailing spaces, or one character of anything else.
_TOKEN = re.compile(r"[A-Za-z0-9\-'/@.,:;!?()%+&]+ *| +|.", re.S)


def tokens(paragraph: str) -> list[str]:
    return _TOKEN.findall(paragraph)


def break_lines(text: str, fits: Callable[[str], bool]) -> list[str]:
    """Lines of `text` such that `fits(line)` holds for each wherever it can."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        lines.extend(_break_paragraph(paragraph, fits))
    return lines


def _break_paragraph(paragraph: str, fits: Callable[[str], bool]) -> list[str]:
    lines: list[list[str]] = [[]]
    for token in tokens(paragraph):
        line = lines[-1]
        if not line or fits("".join(line) + token.rstrip()):
            line.append(token)
            continue
        carried: list[str] = []
        # Keep closing punctuation with the character before it, and an opening bracket
        # with the character after it, by carrying them down to the new line.
        if token in NO_LINE_START:
            # Carry the character before it, and any closing marks before that ("）、").
            while len(line) > 1:
                carried.insert(0, line.pop())
                if carried[0] not in NO_LINE_START:
                    break
        while len(line) > 1 and line[-1] in NO_LINE_END:
            carried.insert(0, line.pop())
        lines.append(carried + [token.lstrip() if not carried else token])
    return ["".join(line).rstrip() for line in lines]
