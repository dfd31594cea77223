"""The voucher of a card application in the language the resident used, printed by the printer
simulator from the kiosk's real bytes: everything the resident reads once, in their language;
the window's short Chinese block when that is not Chinese; the bank, the pickup, the hotline;
and at most 1 KB on the wire (the budget is a property of the printed bytes: about a second at
9600 baud), whatever the pickup."""

from __future__ import annotations

import pytest

from kiosk.domain.voucher import verify_payload
from kiosk.domain.application import AddressSource
from kiosk.flows.submission import OUTLET_STEP, POST_STEPS
from kiosk.printing.voucher_layout import FOR_THE_WINDOW, HOTLINE, SERIAL
from tests.flows import journeys
from tests.flows.conftest import printed_jobs, run_flow

VOUCHER_BUDGET = 1024  # bytes on the wire, QR included
PICKUPS = {
    "on_site": journeys.pickup("on_site"),
    "outlet": journeys.pickup("outlet", "CS-07"),
    "post": journeys.pickup("post", "id_card"),
}


def flat(text: str) -> str:
    return "".join(text.split())


def applied(services, rig, language: str, pickup: str) -> tuple[dict, str]:
    """The printed job of one application in `language`, and its text without spaces."""
    run_flow(services, journeys.for_myself("resident", pickup_entries=PICKUPS[pickup]) + journeys.FINISH, language=language)
    [job] = printed_jobs(rig)
    return job, flat("".join(job["lines"]))


@pytest.mark.parametrize("pickup", list(PICKUPS))
@pytest.mark.parametrize("language", ["zh", "en"])
def test_an_application_voucher_fits_in_one_kilobyte(rig, services, language, pickup):
    job, _text = applied(services, rig, language, pickup)
    assert job["complete"] and job["cut"]
    assert job["bytes_received"] <= VOUCHER_BUDGET


def test_a_chinese_voucher_is_all_chinese_and_names_the_bank_pickup_and_hotline(rig, services):
    job, text = applied(services, rig, "zh", "on_site")
    bank = services.policy.bank(journeys.BANK).name
    assert f"{SERIAL.zh}：{verify_payload(job['qr'][0]['content'], services.key)['serial']}" in text
    assert f"银行：{bank.zh}" in text and "领卡方式：在本网点现场领卡" in text
    assert f"{HOTLINE.zh}：12333" in text and flat(services.policy.anti_fraud.zh) in text
    assert "现场制卡" in text
    assert "Voucher" not in text and "Bank" not in text and flat(services.policy.anti_fraud.en) not in text
    assert FOR_THE_WINDOW not in text  # the window reads this one as it is


def test_an_english_voucher_speaks_english_with_a_short_chinese_block_for_the_window(rig, services):
    job, text = applied(services, rig, "en", "outlet")
    bank = services.policy.bank(journeys.BANK).name
    outlet = services.policy.outlet("CS-07")
    serial = verify_payload(job["qr"][0]["content"], services.key)["serial"]
    assert flat(f"{SERIAL.en}: {serial}") in text
    assert flat(f"Bank: {bank.en}") in text and flat(services.policy.anti_fraud.en) in text
    assert flat(OUTLET_STEP.en.split("{")[0]) in text and outlet.name in text
    assert "Hotline:12333" in text
    assert flat(services.policy.anti_fraud.zh) not in text  # the resident's part is not repeated in Chinese
    window = text[text.index(FOR_THE_WINDOW):]
    assert window.startswith(f"{FOR_THE_WINDOW}：申领社保卡，{bank.zh}，到就近业务网点领卡")


def test_the_next_step_and_the_voucher_number_are_double_height(rig, services):
    run_flow(services, journeys.for_myself("resident", pickup_entries=PICKUPS["post"]) + journeys.FINISH)
    [job] = printed_jobs(rig)
    lines = job["lines"]
    serial_line = next(i for i, line in enumerate(lines) if line.startswith(SERIAL.zh))
    step_line = lines.index(flat(POST_STEPS[AddressSource.ID_CARD].zh))
    heights = job["line_heights"]
    assert heights[serial_line] == heights[step_line] == 48  # two 24-dot cells high
    assert heights[serial_line + 1] == heights[step_line + 1] == 24  # and only they
