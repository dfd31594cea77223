"""应用状态查询 headless, and the status cache it falls back on when the centre is away, on the
in-process fakes (tests/flows/fake_rig.py). A card reader pcscd does not know stays on the
simulator rig, in test_card_services_on_simulator.py."""

from __future__ import annotations

import sqlite3
import threading

from hwsim.card.profile import load_profile
from hwsim.centre.test_ca import simulator_person_hash as person_hash
from kiosk.flows import card_in_reader, centre_calls, status_query
from kiosk.flows.steps import OK, RETRY
from kiosk.offline.status_cache import StatusCache
from tests.flows.card_rig import HOLDER_OF, run_card_flow, texts, with_cards
from tests.flows.fake_rig import rig, services  # noqa: F401
from tests.flows.journeys import then

GEN3 = load_profile("gen3")
BY_CARD = [("choose", status_query.BY_CARD), ("done", OK)]
BY_ID = [("choose", status_query.BY_ID_CARD), ("done", OK)]


def extra(port) -> list[str]:
    return [line.zh for line in port.last("done").params["extra"]]


def apply_for(services, id_number: str, name: str, outlet_id: str = "CS-07") -> str:
    reply = services.centre.submit_application(
        f"apply:test-{outlet_id}", {"service": "apply", "applicant": {"id_number": id_number, "name": name},
                                    "pickup": {"method": "outlet", "outlet_id": outlet_id}},
    )  # fmt: skip
    assert reply.ok, reply.reason
    return reply.reference


def test_by_card_shows_the_card_its_pin_and_expiry(rig, services):
    with_cards(rig, "gen3")
    port = run_card_flow(services, "status_query", BY_CARD)
    lines = extra(port)
    assert lines[0] == f"第3代社保卡 尾号{GEN3.card_number[-4:]}：正常（插着的这张）"
    assert "密码：正常（还可以输错6次）" in lines
    assert f"有效期到{GEN3.expiry_date.isoformat()}" in lines


def test_by_card_a_blocked_pin_and_a_lost_card_are_said_plainly(rig, services):
    with_cards(rig, "pin-blocked")
    port = run_card_flow(services, "status_query", BY_CARD)
    assert status_query.PIN_BLOCKED.zh in extra(port)
    with_cards(rig, "reported-lost")
    port = run_card_flow(services, "status_query", BY_CARD)
    assert "已挂失" in extra(port)[0]


def test_by_id_card_an_application_ready_for_pickup_says_where(rig, services):
    with_cards(rig, id_card=HOLDER_OF["gen3"])
    apply_for(services, GEN3.social_security_number, GEN3.holder_name)
    rig.centre.store.clock.advance(3601)  # the simulated centre made the card
    port = run_card_flow(services, "status_query", BY_ID)
    lines = "\n".join(extra(port))
    outlet = services.policy.outlet("CS-07")
    assert "申领社保卡" in lines and "卡已做好，可以领取" in lines
    assert outlet.name in lines and outlet.address in lines
    assert f"尾号{GEN3.card_number[-4:]}：正常" in lines


def test_an_application_being_made_is_said_so(rig, services):
    with_cards(rig, id_card=HOLDER_OF["gen3"])
    apply_for(services, GEN3.social_security_number, GEN3.holder_name)
    rig.centre.store.clock.advance(601)
    port = run_card_flow(services, "status_query", BY_ID)
    assert any("正在制卡" in line for line in extra(port))


def test_offline_shows_the_last_answer_marked_with_its_time(rig, services):
    with_cards(rig, id_card=HOLDER_OF["gen3"])
    live = run_card_flow(services, "status_query", BY_ID)
    rig.centre.down()
    port = run_card_flow(services, "status_query", [("choose", status_query.BY_ID_CARD), ("notice", OK)])
    notice = port.last("notice").params
    assert notice["title"] == status_query.OLD_RESULT and notice["tone"] == "warning"
    assert "现在可能已经变了" in notice["body"].zh
    assert services.now().strftime("%Y-%m-%d") in notice["body"].zh  # when it was true
    for line in extra(live):
        assert line in notice["body"].zh


def test_offline_with_nothing_known_by_id_card_says_the_centre_is_needed(rig, services):
    with_cards(rig, id_card=HOLDER_OF["gen3"])
    rig.centre.down()
    port = run_card_flow(services, "status_query", [("choose", status_query.BY_ID_CARD), ("notice", OK)])
    assert port.last("notice").params["title"] == centre_calls.CENTRE_OFFLINE


def test_offline_with_nothing_known_by_card_shows_what_the_card_says(rig, services):
    with_cards(rig, "pin-blocked")
    rig.centre.down()
    port = run_card_flow(services, "status_query", [("choose", status_query.BY_CARD), ("notice", OK)])
    notice = port.last("notice").params
    assert notice["title"] == status_query.CARD_ONLY
    assert status_query.PIN_BLOCKED.zh in notice["body"].zh


def test_the_cache_is_sealed_and_keyed_so_no_id_number_can_be_found_in_it(rig, services):
    with_cards(rig, id_card=HOLDER_OF["gen3"])
    apply_for(services, GEN3.social_security_number, GEN3.holder_name)
    run_card_flow(services, "status_query", BY_ID)
    conn = sqlite3.connect(services.config.data_dir / "kiosk.sqlite3")
    try:
        [(person, answer)] = conn.execute("SELECT person, answer FROM status_cache").fetchall()
    finally:
        conn.close()
    assert person != person_hash(GEN3.social_security_number)  # a keyed hash, not the public one
    for secret in (GEN3.social_security_number, GEN3.card_number, GEN3.holder_name):
        assert secret.encode() not in answer and secret not in person
    assert StatusCache(services.outbox, services.key).recall(GEN3.social_security_number) is not None


def test_old_answers_are_neither_shown_nor_kept(services):
    now = [1_000_000.0]
    cache = StatusCache(services.outbox, services.key, max_age_s=3600, clock=lambda: now[0])
    cache.remember("500115199002151287", {"cards": []})
    now[0] += 3601
    assert cache.recall("500115199002151287") is None
    cache.remember("110105198507210424", {"cards": []})  # any write prunes what is too old
    count = services.outbox.db.execute("SELECT count(*) FROM status_cache").fetchone()[0]
    assert count == 1


def test_the_cache_holds_at_most_max_rows_people(services):
    ticks = iter(range(1_000_000, 1_000_010))
    cache = StatusCache(services.outbox, services.key, max_rows=2, clock=lambda: float(next(ticks)))
    for number in ("500115199002151287", "110105198507210424", "500115195603120211"):
        cache.remember(number, {"cards": []})
    assert cache.recall("500115199002151287") is None
    assert cache.recall("500115195603120211") is not None


def test_the_query_screens_never_show_a_full_id_or_card_number(rig, services):
    with_cards(rig, "gen3")
    port = run_card_flow(services, "status_query", BY_CARD)
    shown = texts(port)
    assert GEN3.social_security_number not in shown and GEN3.card_number not in shown


def test_a_card_gone_before_it_is_read_is_simply_asked_for_again(rig, services):
    with_cards(rig, "gen3")
    rig.card.remove(0, during_next_command=True)  # it goes on the kiosk's first command
    again = threading.Timer(0.8, lambda: rig.card.insert("gen3"))
    again.start()
    try:
        port = run_card_flow(services, "status_query", BY_CARD)
    finally:
        again.join()
    assert "notice" not in port.screens()  # no error screen for it, just "insert your card" again
    assert [s.params["title"] for s in port.steps if s.screen == "wait"][:3] == [
        card_in_reader.INSERT_CARD, card_in_reader.READING_CARD, card_in_reader.INSERT_CARD
    ]


def test_no_card_inserted_says_so_and_trying_again_reads_it(rig, services):
    with_cards(rig)
    script = [("choose", status_query.BY_CARD), ("notice", then(lambda: rig.card.insert("gen3"), RETRY)), ("done", OK)]
    port = run_card_flow(services, "status_query", script)
    notice = port.asked("notice")[0].params
    assert notice["title"] == card_in_reader.NO_CARD and "请插入社保卡" in notice["body"].zh
    assert extra(port)[0].startswith("第3代社保卡")


def keep_application_here(services, id_number: str, name: str, serial: str) -> None:
    """An application this kiosk took while the centre was away: only in the outbox."""
    services.outbox.enqueue(
        "application", {"service": "apply", "applicant": {"id_number": id_number, "name": name}, "voucher_serial": serial},
        idempotency_key=f"apply:{serial}",
    )  # fmt: skip


def test_an_application_still_waiting_in_this_kiosk_is_shown_not_denied(rig, services):
    with_cards(rig, id_card=HOLDER_OF["gen3"])
    keep_application_here(services, GEN3.social_security_number, GEN3.holder_name, "TEST-CS01-T01-20261123-0007")
    keep_application_here(services, "11010519491231002X", "别人", "TEST-CS01-T01-20261123-0008")  # someone else's
    port = run_card_flow(services, "status_query", BY_ID)
    lines = [line for line in extra(port) if "在本机办理" in line]
    assert len(lines) == 1
    assert "凭证号TEST-CS01-T01-20261123-0007" in lines[0] and "还没有传到社保中心" in lines[0] and "不用再办" in lines[0]


def test_offline_with_nothing_cached_still_shows_the_application_waiting_here(rig, services):
    with_cards(rig, id_card=HOLDER_OF["gen3"])
    keep_application_here(services, GEN3.social_security_number, GEN3.holder_name, "TEST-CS01-T01-20261123-0009")
    rig.centre.down()
    port = run_card_flow(services, "status_query", [("choose", status_query.BY_ID_CARD), ("notice", OK)])
    notice = port.last("notice").params
    assert notice["title"] == status_query.KIOSK_ONLY
    assert "凭证号TEST-CS01-T01-20261123-0009" in notice["body"].zh


def test_an_application_the_centre_has_is_shown_once_not_also_as_waiting(rig, services):
    with_cards(rig, id_card=HOLDER_OF["gen3"])
    serial = "TEST-CS01-T01-20261123-0010"
    keep_application_here(services, GEN3.social_security_number, GEN3.holder_name, serial)
    reply = services.centre.submit_application(  # it arrived, but the kiosk has not heard back yet
        f"apply:{serial}", {"service": "apply", "applicant": {"id_number": GEN3.social_security_number, "name": GEN3.holder_name},
                            "voucher_serial": serial, "pickup": {"method": "outlet", "outlet_id": "CS-07"}},
    )  # fmt: skip
    assert reply.ok, reply.reason
    port = run_card_flow(services, "status_query", BY_ID)
    lines = extra(port)
    assert not any("在本机办理" in line for line in lines)
    assert sum("申领社保卡" in line for line in lines) == 1
