"""Masking personal data for screens, vouchers and logs.

A masking function never raises: odd input (empty, too short, spaces, not a string) is
masked conservatively, hiding at least half of it. Masking what is already masked changes
nothing, so a value can pass through several layers safely.
"""

from __future__ import annotations

import re

MASK = "*"

# Two-character surnames: the name keeps both characters (欧阳娜娜 -> 欧阳**). Only pairs that
# are rarely a one-character surname followed by a given name (梁丘, 钟离 are left out: 梁 and
# 钟 are common surnames, and keeping a second character would show part of a given name).
COMPOUND_SURNAMES = frozenset(
    "欧阳 司马 诸葛 上官 东方 皇甫 尉迟 公孙 慕容 令狐 长孙 宇文 司徒 夏侯 轩辕 端木 独孤 南宫 西门 百里 "
    "申屠 澹台 万俟 拓跋 呼延 赫连 鲜于 闾丘".split()
)

_HAN = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003ffff]")
# Kept as they are inside a name: they carry no identity (阿依古丽·买买提, Mary-Jane O'Neil).
_NAME_SEPARATORS = frozenset(" \t-'’.·•‧・")


def mask_name(name: object) -> str:
    """Chinese names keep the surname (张三 -> 张*, 欧阳娜娜 -> 欧阳**); others keep each word's
    first letter (John Smith -> J*** S****); a one-character name shows only *."""
    if not isinstance(name, str):
        return ""
    text = name.strip()
    if _HAN.search(text):
        text = "".join(text.split())
    if len(text) <= 1:
        return MASK * len(text)
    if _HAN.search(text):
        keep = 2 if text[:2] in COMPOUND_SURNAMES and len(text) > 2 else 1
        return text[:keep] + "".join(c if c in _NAME_SEPARATORS else MASK for c in text[keep:])
    out, start_of_word = [], True
    for c in text:
        if c in _NAME_SEPARATORS:
            out.append(c)
            start_of_word = True
        else:
            out.append(c if start_of_word else MASK)
            start_of_word = False
    return "".join(out)


def mask_id_number(number: object) -> str:
    """First 6 and last 4 visible (500115********1234), length kept; shorter input keeps less."""
    if not isinstance(number, str):
        return ""
    text = "".join(number.split())
    return _keep_ends(text, 6, 4, min_length=15)


def mask_phone(phone: object) -> str:
    """First 3 and last 4 digits visible (138****5678); separators such as spaces stay."""
    if not isinstance(phone, str):
        return ""
    text = phone.strip()
    slots = [i for i, c in enumerate(text) if c.isdigit() or c == MASK]
    visible = _keep_ends("x" * len(slots), 3, 4, min_length=11)
    chars = list(text)
    for slot, shown in zip(slots, visible):
        if shown == MASK:
            chars[slot] = MASK
    return "".join(chars)


def _keep_ends(text: str, head: int, tail: int, *, min_length: int) -> str:
    """Show `head` and `tail` characters of text at least `min_length` long; shorter text
    shows a quarter at each end at most, so at least half of it is always hidden."""
    n = len(text)
    if n < min_length:
        head = tail = n // 4
    return text[:head] + MASK * (n - head - tail) + text[n - tail :]


# Anything in free text that looks like an identity, bank-card, passport, permit or phone
# number, in the ways people and programs write them; order matters (longest forms first).
_SEP = r"[ \-\u00a0]"
_SENSITIVE = re.compile(
    r"(?P<digits>(?<!\d)\d{14,}[\dXx](?!\d))"  # ID numbers (15/18), bank cards (16-19)
    rf"|(?P<spaced>(?<![\dA-Za-z\-])\d(?:{_SEP}?\d){{13,18}}(?:{_SEP}?[Xx])?(?![\dA-Za-z]))"  # 500115 19900101 123X, 6222 0212 ...
    r"|(?P<foreign>[A-Za-z]{3}\d{12}(?!\d))"  # 2017 permanent residence card
    rf"|(?P<phone>(?<!\d)(?:(?:\+|00)?86{_SEP}?)?\(?1\d{{2}}\)?(?:{_SEP}?\d){{8}}(?!\d))"  # mobiles: 138 1234 5678, (138)1234-5678
    # 023-40401234, (023)40401234; not inside hex or beside a mask (an APDU such as 0020000003******)
    rf"|(?P<landline>(?<![\dA-Za-z*-])\(?0\d{{2,3}}\)?{_SEP}?\d{{7,8}}(?![\dA-Za-z*-]))"
    r"|(?P<document>(?<![A-Za-z0-9])(?:E[A-Z]?\d{7,8}|[GDSP]\d{8}|[HM]\d{8}(?:\d{2})?)(?![A-Za-z0-9]))"  # passports, HK/Macau permits
)
# Rarer forms, each behind a substring test so ordinary log lines do not pay for them.
_UTF16 = re.compile(r"(?:\d(?:\\x00|\x00)){11,}|(?:(?:\\x00|\x00)\d){11,}")  # UTF-16 digits, raw or as a bytes repr
_SECRET = re.compile(
    r"(?P<secret>(?i:\b(?:new_|old_)?pin(?:_block|_code)?\b|\bpassword\b|\b密码)[\"']?\s*[=:：]\s*[\"']?)(?P<value>[^\s,;\"'}&]+)"
)
_SECRET_WORDS = ("pin", "password", "密码")


def _mask_slots(text: str, head: int, tail: int, *, min_length: int) -> str:
    """Mask the digits and letters of `text` as _keep_ends would, leaving separators in place."""
    slots = [i for i, c in enumerate(text) if c.isalnum() or c == MASK]
    shown = _keep_ends("x" * len(slots), head, tail, min_length=min_length)
    chars = list(text)
    for slot, keep in zip(slots, shown):
        if keep == MASK:
            chars[slot] = MASK
    return "".join(chars)


def redact(text: object) -> str:
    """`text` with every ID-number-, document-, phone-like sequence and every labelled PIN
    masked, for logs. Names are beyond patterns: kiosk.logs also redacts what the session knows."""
    if not isinstance(text, str):
        text = str(text)

    def replace(match: re.Match[str]) -> str:
        kind = match.lastgroup
        if kind in ("phone", "landline"):
            return mask_phone(match.group(0)) if kind == "phone" else _mask_slots(match.group(0), 4, 2, min_length=10)
        if kind in ("spaced", "document"):
            return _mask_slots(match.group(0), 6 if kind == "spaced" else 1, 4 if kind == "spaced" else 2, min_length=15 if kind == "spaced" else 8)
        return mask_id_number(match.group(0))

    if "\x00" in text or "\\x00" in text:
        text = _UTF16.sub(lambda m: MASK * len(m.group(0)), text)
    lowered = text.lower()
    if any(word in lowered for word in _SECRET_WORDS):
        text = _SECRET.sub(lambda m: m.group("secret") + MASK * 3, text)
    return _SENSITIVE.sub(replace, text)
