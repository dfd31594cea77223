"""Who may apply when: a region that changes cards in batches (Beijing) opens the kiosk to
each group of residents and each district on its own date, through the channels it names.

A region without a phased schedule lets everyone apply through every channel.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Mapping

from kiosk.i18n import Bilingual, bi


class Channel(StrEnum):
    """How a resident applies; a kiosk is an offline channel."""

    ONLINE = "online"
    OFFLINE = "offline"


class StartPrecision(StrEnum):
    DAY = "day"
    MONTH = "month"  # the notice names only the month


CHANNEL_NAMES = {Channel.ONLINE: bi("线上", "online"), Channel.OFFLINE: bi("线下网点", "at an outlet")}


@dataclass(frozen=True)
class Phase:
    code: str
    name: Bilingual
    starts: date
    start_precision: StartPrecision
    groups: tuple[str, ...]  # empty: every group
    districts: tuple[str, ...]  # empty: every district
    channels: tuple[Channel, ...]
    source: str

    def covers(self, district: str, group: str) -> bool:
        return (not self.groups or group in self.groups) and (not self.districts or district in self.districts)

    @property
    def starts_text(self) -> Bilingual:
        d = self.starts
        if self.start_precision is StartPrecision.MONTH:
            return bi(f"{d.year}年{d.month}月", d.strftime("%B %Y"))
        return bi(f"{d.year}年{d.month}月{d.day}日", f"{d.day} {d:%B %Y}")


@dataclass(frozen=True)
class PhaseDecision:
    may_apply: bool
    phase: Phase | None  # the phase in force for this person on that day, else the next one
    opens_on: date | None  # the first day this person could apply
    channels: tuple[Channel, ...]  # open to this person on that day
    message: Bilingual

    @property
    def kiosk_open(self) -> bool:
        """A kiosk is an offline channel."""
        return self.may_apply and Channel.OFFLINE in self.channels


OPEN_TO_EVERYONE = PhaseDecision(True, None, None, tuple(CHANNEL_NAMES), bi("现在可以申领。", "You can apply now."))


@dataclass(frozen=True)
class PhasedSchedule:
    groups: Mapping[str, Bilingual]
    districts: tuple[str, ...]
    phases: tuple[Phase, ...]  # sorted by start

    def district(self, name: str) -> str:
        """The district as the policy spells it; "房山" finds "房山区"."""
        name = name.strip()
        for candidate in (name, name + "区"):
            if candidate in self.districts:
                return candidate
        raise ValueError(f"unknown district {name!r} (known: {', '.join(self.districts)})")

    def phase_for(self, district: str, group: str, day: date) -> PhaseDecision:
        """Whether someone of `group` insured in `district` may apply on `day`, and how."""
        district = self.district(district)
        if group not in self.groups:
            raise ValueError(f"unknown group {group!r} (known: {', '.join(self.groups)})")
        matching = [p for p in self.phases if p.covers(district, group)]
        if not matching:
            return PhaseDecision(
                False, None, None, (), bi("还没有公布您的换发时间，请拨打12333咨询。", "No date has been announced for you yet; call 12333.")
            )
        started = [p for p in matching if p.starts <= day]
        if not started:
            upcoming = matching[0]
            when = upcoming.starts_text
            message = bi(
                f"您从{when.zh}起可以申领（{upcoming.name.zh}）。",
                f"You can apply from {when.en} ({upcoming.name.en}).",
            )
            return PhaseDecision(False, upcoming, upcoming.starts, (), message)
        current, first = started[-1], started[0]
        channels = tuple(c for c in CHANNEL_NAMES if any(c in p.channels for p in started))
        how = bi("、".join(CHANNEL_NAMES[c].zh for c in channels), " or ".join(CHANNEL_NAMES[c].en for c in channels))
        message = bi(
            f"您现在可以申领（{current.name.zh}，{current.starts_text.zh}起）。办理渠道：{how.zh}。",
            f"You can apply now ({current.name.en}, from {current.starts_text.en}), {how.en}.",
        )
        return PhaseDecision(True, current, first.starts, channels, message)
