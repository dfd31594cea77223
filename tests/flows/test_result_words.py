"""The result screen says how far an application got (kiosk/flows/result.py): never 「办好了」
while the resident still has the card to collect, and the next action first."""

from __future__ import annotations

from kiosk.flows import result
from tests.flows import journeys
from tests.flows.conftest import run_flow


def test_an_application_collected_at_the_window_is_sent_with_one_more_step(rig, services):
    port = run_flow(services, journeys.for_myself("resident") + journeys.FINISH)
    done = port.last("done").params
    assert done["title"].zh == "申请已提交，还差一步"
    assert done["next_action"] == result.NEXT_BY_PICKUP["on_site"][1]
    assert done["extra"][0].zh == "请取走身份证和凭证。"  # the ID card was read: said by name


def test_an_application_posted_home_leaves_nothing_to_do_but_wait(rig, services):
    port = run_flow(services, journeys.for_myself("resident", pickup_entries=journeys.pickup("post", "id_card")) + journeys.FINISH)
    done = port.last("done").params
    assert done["title"].zh == "申请已提交"
    assert "寄给您" in done["next_action"].zh


def test_a_passport_typed_for_another_adult_still_names_the_proxys_id_card(rig, services):
    port = run_flow(services, journeys.for_another_adult_by_passport("resident") + journeys.FINISH)
    assert port.last("done").params["extra"][0] == result.TAKE_ID_AND_VOUCHER  # the proxy's ID card was read
