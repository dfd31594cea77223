"""长辈模式's rules without a window: pages of at most four choices, more time, the config's
[elder] section and its range."""

from __future__ import annotations

import pytest

from kiosk.config.ranges import RANGES
from kiosk.domain.services import GROUPS, SERVICES
from kiosk.config.settings import Config, ElderSettings
from kiosk.ui.idle import IdlePhase, IdleTimer
from kiosk.ui.mode import MAX_CHOICES, page_count, page_of

ITEMS = list("abcdefghij")


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_a_short_list_is_shown_whole_without_more():
    assert page_of(ITEMS[:4], 0) == (ITEMS[:4], False)
    assert page_count(ITEMS[:4]) == 1


def test_a_long_list_shows_three_and_more_so_a_page_never_has_more_than_four_choices():
    for page in range(page_count(ITEMS)):
        shown, more = page_of(ITEMS, page)
        assert more and len(shown) + 1 <= MAX_CHOICES


def test_more_turns_through_every_item_once_and_comes_back_to_the_first_page():
    pages = [page_of(ITEMS, page)[0] for page in range(page_count(ITEMS))]
    assert [item for page in pages for item in page] == ITEMS
    assert page_of(ITEMS, page_count(ITEMS))[0] == pages[0]


def test_the_simpler_mode_stretches_the_idle_timeout_and_its_warning():
    clock = Clock()
    timer = IdleTimer(90, clock=clock)
    timer.stretch(2.0)
    clock.now = 100  # past the standard timeout, well inside the stretched one
    assert timer.reading().phase is IdlePhase.ACTIVE
    clock.now = 170  # inside the stretched warning (2 x 15 s)
    assert timer.reading().phase is IdlePhase.WARNING and timer.warning_s == 30
    clock.now = 181
    assert timer.reading().phase is IdlePhase.EXPIRED


def test_back_in_the_standard_mode_the_configured_timeout_holds_again():
    timer = IdleTimer(90, clock=Clock())
    timer.stretch(3.0)
    timer.stretch(1.0)
    assert (timer.timeout_s, timer.warning_s) == (90, 15)


def test_a_stretch_below_one_is_refused():
    with pytest.raises(ValueError):
        IdleTimer(90, clock=Clock()).stretch(0.5)


def test_the_config_has_an_elder_section_whose_multiplier_is_range_checked():
    assert Config.__dataclass_fields__["elder"].default_factory() == ElderSettings()
    rule = RANGES["elder.timeout_multiplier"]
    assert rule.problem(ElderSettings().timeout_multiplier) is None
    assert rule.problem(0.5) is not None and rule.problem(50.0) is not None


def test_no_group_holds_more_services_than_the_simpler_mode_shows_on_one_screen():
    """The group screen has no 「更多」: a fifth service in a group must bring one (kiosk/screens/group.py)."""
    sizes = {g.code: sum(s.group == g.code for s in SERVICES) for g in GROUPS}
    assert max(sizes.values()) <= MAX_CHOICES, sizes
