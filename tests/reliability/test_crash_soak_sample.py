"""CI's sample of scripts/crash-soak: 10 kills of a real kiosk process across submit and sync.
The 1,000-kill run is the command; its figures are in docs/reliability.md."""

from __future__ import annotations

from hwsim.centre.server import CentreSimulator
from kiosk.keys import read_key_file
from kiosk.config import load_config
from kiosk.offline.outbox import Outbox
from tests.reliability.crash_soak import Figures, counting_store, drain_and_check, soak


def test_ten_kills_across_submit_and_sync_lose_nothing_and_duplicate_nothing(tmp_path):
    figures = soak(10, seed=7, window_s=1.0, progress=lambda _text: None, work=tmp_path)
    assert figures.kills == 10
    assert figures.commits_reported > 0 and figures.items >= figures.commits_reported
    assert figures.ok, figures.to_dict()["problems"]
    assert figures.centre_processed == figures.items  # each committed item processed exactly once


def test_the_checks_count_a_vanished_item_as_lost_and_a_stranger_at_the_centre_as_integrity(tmp_path):
    """The checks themselves can fail: an item seen once and gone, a delivery nobody committed."""
    store = counting_store(tmp_path / "centre")
    centre = CentreSimulator(store)
    centre.up()
    try:
        Outbox.open(tmp_path / "data", read_key_file(load_config().key_file)).close()  # an empty outbox
        store.processed["application:stranger"] += 1
        figures = Figures()
        drain_and_check(tmp_path / "data", centre.url, store, {"ids": {"7"}, "keys": {"application:gone"}}, figures)
    finally:
        centre.down()
        store.close()
    assert len(figures.lost) == 2 and len(figures.integrity) == 1 and not figures.ok
