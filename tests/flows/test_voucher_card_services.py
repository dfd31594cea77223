"""The vouchers of 挂失 and 解挂 in either language the resident used, on the in-process fakes:
what the seeds make them carry (the card blocked or working again, 12333 when the report could
not be sent) in that language, and at most 1 KB on the wire whether or not the centre answered."""

from __future__ import annotations

import dataclasses

import pytest

from hwsim.card.profile import load_profile
from kiosk.config import OutboxSettings
from kiosk.flows import loss_cancel, loss_report, on_behalf
from kiosk.flows.context import KioskServices
from kiosk.flows.steps import CONFIRM, OK
from kiosk.printing.voucher_layout import FOR_THE_WINDOW, NOT_UPLOADED
from tests.flows.card_rig import HOLDER_OF, Pins, run_card_flow, with_cards
from tests.flows.conftest import FAST
from tests.flows.fake_rig import printed_jobs, rig, services  # noqa: F401

VOUCHER_BUDGET = 1024
LANGUAGES = ["zh", "en"]
MINE = ("choose", on_behalf.OWN)
GEN3 = load_profile("gen3")


@pytest.fixture
def quick_services(rig, config):  # noqa: F811
    services = KioskServices.build(dataclasses.replace(config, outbox=OutboxSettings(backoff_base_s=0.1, backoff_cap_s=0.3)),
                                   timeouts=FAST, devices=rig.devices())  # fmt: skip
    yield services
    services.close()


def the_voucher(rig) -> tuple[dict, str]:  # noqa: F811
    [job] = printed_jobs(rig)
    return job, "".join("".join(job["lines"]).split())


def flat(text: str) -> str:
    return "".join(text.split())


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_loss_report_voucher_says_the_card_is_blocked_in_the_residents_language(rig, services, language):  # noqa: F811
    with_cards(rig, id_card=HOLDER_OF["gen3"])
    run_card_flow(services, "loss_report", [MINE, ("review", CONFIRM), ("done", OK)], language=language)
    job, text = the_voucher(rig)
    assert job["bytes_received"] <= VOUCHER_BUDGET
    assert flat(loss_report.BLOCKED_NOW.get(language)) in text and flat(loss_report.IF_FOUND.get(language)) in text
    assert "12333" in text and GEN3.social_security_number not in text
    assert (FOR_THE_WINDOW in text) == (language == "en")


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_loss_report_kept_offline_says_call_12333_now_within_the_budget(rig, quick_services, language):  # noqa: F811
    with_cards(rig, id_card=HOLDER_OF["gen3"])
    rig.centre.down()
    run_card_flow(quick_services, "loss_report", [MINE, ("review", CONFIRM), ("notice", OK)], language=language)
    job, text = the_voucher(rig)
    assert job["bytes_received"] <= VOUCHER_BUDGET
    assert flat(NOT_UPLOADED.get(language)) in text and "尚未上传" in text  # for the window too
    call_now = next(i for i, line in enumerate(job["lines"]) if "12333" in line)
    assert job["line_heights"][call_now] == 48  # the first thing to do, double height


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_loss_cancel_voucher_says_the_card_works_again(rig, services, language):  # noqa: F811
    with_cards(rig, "reported-lost")
    run_card_flow(services, "loss_cancel", [("pin_pad", Pins()("123456")), ("review", CONFIRM), ("done", OK)], language=language)
    job, text = the_voucher(rig)
    assert job["bytes_received"] <= VOUCHER_BUDGET
    assert flat(loss_cancel.WORKS_AGAIN.get(language)) in text
