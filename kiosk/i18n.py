"""Bilingual text: every string a resident sees exists in Chinese first, English second."""

from __future__ import annotations

from dataclasses import dataclass

LANGUAGES = ("zh", "en")


@dataclass(frozen=True)
class Bilingual:
    zh: str
    en: str

    def __post_init__(self) -> None:
        if not self.zh or not self.en:
            raise ValueError(f"both languages are required: {self!r}")

    def get(self, lang: str) -> str:
        """The text in `lang`; Chinese for anything unknown, since Chinese is the default."""
        return self.en if lang == "en" else self.zh

    def both(self, sep: str = "\n") -> str:
        """Chinese then English, as printed on vouchers and slips."""
        return f"{self.zh}{sep}{self.en}"

    def format(self, **values: object) -> "Bilingual":
        return Bilingual(self.zh.format(**values), self.en.format(**values))


def bi(zh: str, en: str) -> Bilingual:
    return Bilingual(zh, en)
