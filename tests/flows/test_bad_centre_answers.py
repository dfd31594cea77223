"""A centre answer the kiosk does not understand reaches no flow and no cache: the status
query falls back on the last good answer, as when the centre is away (issue 12, 3)."""

from __future__ import annotations

import pytest

from kiosk.centre.client import CentreClient
from kiosk.flows import status_query
from kiosk.flows.steps import OK
from kiosk.offline.status_cache import StatusCache
from tests.flows.card_rig import HOLDER_OF, people, run_card_flow, with_cards
from tests.flows.fake_rig import rig, services  # noqa: F401
from tests.hardening.misbehaving_centre import MisbehavingCentre, json_reply
from tests.offline.people import ID_NUMBER

BY_ID = [("choose", status_query.BY_ID_CARD), ("done", OK)]
BY_ID_OFFLINE = [("choose", status_query.BY_ID_CARD), ("notice", OK)]
GOOD_CARDS = json_reply(200, {"cards": []})
GOOD_APPLICATIONS = json_reply(200, {"applications": []})
FROM_YEAR_10000 = {"reference": "A12345678", "service": "apply", "status": "received", "received_at": "9999-12-31T23:59:59-12:00"}

BAD = {
    "cards_null": {"/cards": json_reply(200, {"cards": None}), "/applications": GOOD_APPLICATIONS},
    "cards_of_strings": {"/cards": json_reply(200, {"cards": ["x"]}), "/applications": GOOD_APPLICATIONS},
    "received_after_9999_in_utc": {"/cards": GOOD_CARDS, "/applications": json_reply(200, {"applications": [FROM_YEAR_10000]})},
    "deeply_nested": {"/cards": (json_reply(200, {})[0].replace(b"Content-Length: 2", b"Content-Length: 100000"), b"[" * 100000)},
}


@pytest.mark.parametrize("answer", list(BAD))
def test_a_bad_answer_is_neither_shown_nor_cached_and_the_last_good_one_is(rig, services, answer):
    with_cards(rig, id_card=HOLDER_OF["gen3"])
    run_card_flow(services, "status_query", BY_ID)  # a good answer, cached
    person = rig_person_number(services)
    cache = StatusCache(services.outbox, services.key)
    good = cache.recall(person)
    assert good is not None
    with MisbehavingCentre(*GOOD_CARDS, routes=BAD[answer]) as centre:
        services.centre = CentreClient(centre.url, terminal_id="T01")
        port = run_card_flow(services, "status_query", BY_ID_OFFLINE)
    assert port.last("notice").params["title"] == status_query.OLD_RESULT  # the last good answer, marked old
    kept = cache.recall(person)
    assert kept is not None and kept.answer == good.answer and kept.fetched_at == good.fetched_at


def rig_person_number(services) -> str:
    return people()[HOLDER_OF["gen3"]].id_number


def test_an_answer_cached_before_replies_were_checked_is_never_shown(services):
    cache = StatusCache(services.outbox, services.key)
    cache.remember(ID_NUMBER, {"cards": None, "applications": []})  # what old code stored
    assert cache.recall(ID_NUMBER) is None
    cache.remember(ID_NUMBER, {"cards": ["x"]})
    assert cache.recall(ID_NUMBER) is None
