"""Vouchers: serials that never repeat (restarts, threads, processes), masked personal data,
and a QR payload whose every character is covered by the signature."""

import string
import sys
import threading
from datetime import date, datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kiosk.domain.policy import load_policy
from kiosk.domain.serials import format_serial, parse_serial
from kiosk.domain.terminal_key import TerminalKey
from kiosk.domain.voucher import Voucher, VoucherForged, verify_payload
from kiosk.i18n import bi
from kiosk.offline.sequence import SerialCounter, SerialError
from tests.support.processes import start, stop

DAY = date(2026, 11, 23)
KEY = TerminalKey(bytes(range(32)))
OTHER_KEY = TerminalKey(bytes(range(1, 33)))
NAME = "欧阳娜娜"
ID_NUMBER = "11010519491231002X"
QR_ALPHANUMERIC = set(string.digits + string.ascii_uppercase + " $%*+-./:")


@pytest.fixture(scope="module")
def policy():
    return load_policy("chongqing-changshou")


def issue(policy, serial="CS01-T01-20261123-0007", service="apply", when=datetime(2026, 11, 23, 14, 5), **kw):
    return Voucher.issue(
        serial=serial,
        service=service,
        issued_at=when,
        holder_name=NAME,
        id_number=ID_NUMBER,
        outlet=policy.outlet("CS-01"),
        policy=policy,
        **kw,
    )


# --- serial numbers --------------------------------------------------------------------


def test_serial_format_is_readable_and_parses_back():
    serial = format_serial("CS-01", "T01", DAY, 7)
    assert serial == "CS01-T01-20261123-0007"
    assert parse_serial(serial) == parse_serial(serial)
    parts = parse_serial(serial)
    assert (parts.outlet_id, parts.terminal_id, parts.day, parts.number, parts.test) == ("CS-01", "T01", DAY, 7, False)
    assert format_serial("CS-01", "T01", DAY, 12345) == "CS01-T01-20261123-12345"


@pytest.mark.parametrize("serial", ["CS01-T01-20261123-07", "CS01-T01-20261131-0007", "CS01-T01-20261123-0000", "CS01-T01-20261123-012345", "cs01-T01-20261123-0007"])
def test_non_canonical_serial_is_refused(serial):
    with pytest.raises(ValueError):
        parse_serial(serial)


def test_serials_count_up_and_survive_a_restart(tmp_path):
    assert [SerialCounter(tmp_path).next("CS-01", "T01", DAY) for _ in range(3)][-1].endswith("-0003")
    restarted = SerialCounter(tmp_path)  # a new object, as after a reboot
    assert restarted.next("CS-01", "T01", DAY) == "CS01-T01-20261123-0004"


def test_sequence_restarts_each_day_for_each_outlet_and_terminal(tmp_path):
    counter = SerialCounter(tmp_path)
    counter.next("CS-01", "T01", DAY)
    counter.next("CS-01", "T01", DAY)
    assert counter.next("CS-01", "T01", date(2026, 11, 24)).endswith("-0001")
    assert counter.next("CS-01", "T02", DAY) == "CS01-T02-20261123-0001"
    assert counter.next("CS-24", "T01", DAY) == "CS24-T01-20261123-0001"
    assert counter.next("CS-01", "T01", DAY).endswith("-0003")


def test_test_vouchers_have_their_own_marked_sequence(tmp_path):
    counter = SerialCounter(tmp_path)
    counter.next("CS-01", "T01", DAY)
    assert counter.next("CS-01", "T01", DAY, test=True) == "TEST-CS01-T01-20261123-0001"
    assert counter.next("CS-01", "T01", DAY) == "CS01-T01-20261123-0002"  # no gap for residents


def test_bad_terminal_id_is_refused_before_the_file_is_made(tmp_path):
    with pytest.raises(ValueError, match="terminal id"):
        SerialCounter(tmp_path / "counter").next("CS-01", "t-1", DAY)
    assert not (tmp_path / "counter").exists()


def test_unusable_data_dir_is_a_serial_error(tmp_path):
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("x")
    with pytest.raises(SerialError, match="cannot be opened"):
        SerialCounter(blocker).next("CS-01", "T01", DAY)


def test_threads_never_share_a_number(tmp_path):
    counter, results, lock = SerialCounter(tmp_path), [], threading.Lock()

    def work():
        mine = [counter.next("CS-01", "T01", DAY) for _ in range(15)]
        with lock:
            results.extend(mine)

    threads = [threading.Thread(target=work) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(parse_serial(s).number for s in results) == list(range(1, 91))


WORKER = """
import sys, time
from datetime import date
from pathlib import Path
from kiosk.offline.sequence import SerialCounter
data, go, n = Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3])
counter = SerialCounter(data)
while not go.exists():
    time.sleep(0.005)
for _ in range(n):
    print(counter.next("CS-01", "T01", date(2026, 11, 23)), flush=True)
"""


def test_processes_never_share_a_number(tmp_path):
    import subprocess

    go = tmp_path / "go"
    procs = [start([sys.executable, "-c", WORKER, str(tmp_path), str(go), "25"], stdout=subprocess.PIPE, text=True) for _ in range(4)]
    try:
        go.touch()  # all four start counting at once
        outputs = [p.communicate(timeout=60)[0].split() for p in procs]
    finally:
        for p in procs:
            stop(p)
    assert all(p.returncode == 0 for p in procs)
    numbers = sorted(parse_serial(s).number for out in outputs for s in out)
    assert numbers == list(range(1, 101))
    assert SerialCounter(tmp_path).next("CS-01", "T01", DAY).endswith("-0101")  # and it survives them


# --- the voucher carries nothing unmasked ----------------------------------------------


def test_issue_masks_the_name_and_id_number(policy):
    voucher = issue(policy)
    assert voucher.holder_name == "欧阳**" and voucher.id_number == "110105********002X"
    assert NAME not in repr(voucher) and ID_NUMBER not in repr(voucher)


def test_constructor_refuses_an_unmasked_id_number(policy):
    fields = {**issue(policy).__dict__, "id_number": ID_NUMBER}
    with pytest.raises(ValueError, match="id_number must be masked") as err:
        Voucher(**fields)
    assert ID_NUMBER not in str(err.value)


def test_constructor_refuses_a_full_name(policy):
    fields = {**issue(policy).__dict__, "holder_name": NAME}
    with pytest.raises(ValueError, match="holder_name must be masked") as err:
        Voucher(**fields)
    assert NAME not in str(err.value)


def test_constructor_refuses_a_partly_masked_id_that_still_shows_the_number(policy):
    fields = {**issue(policy).__dict__, "id_number": ID_NUMBER + "*"}
    with pytest.raises(ValueError, match="id_number must be masked"):
        Voucher(**fields)


def test_a_proxy_is_masked_on_the_voucher_and_refused_unmasked(policy):
    fields = {**issue(policy).__dict__, "proxy": f"欧阳** {ID_NUMBER}"}
    with pytest.raises(ValueError, match="proxy must be masked") as err:
        Voucher(**fields)
    assert ID_NUMBER not in str(err.value)
    voucher = issue(policy, proxy=(NAME, ID_NUMBER))
    assert voucher.proxy == "欧阳** 110105********002X"


def test_issue_takes_the_expected_date_outlet_and_notice_from_the_policy(policy):
    voucher = issue(policy, service="batch_new", when=datetime(2025, 9, 26, 10, 0), serial="CS01-T01-20250926-0001")
    assert voucher.expected_date == date(2025, 10, 16) and not voucher.expected_is_estimate
    assert (voucher.outlet_name, voucher.outlet_phone) == ("长寿区社会保险事务中心", "023-40250850")
    assert voucher.anti_fraud == policy.anti_fraud
    assert voucher.next_steps == (policy.time_limit("batch").note,)
    assert not voucher.uploaded and not voucher.is_test


def test_service_without_time_limit_has_no_expected_date(policy):
    voucher = issue(policy, service="pin_change", next_steps=[bi("请妥善保管新密码。", "Keep your new PIN safe.")])
    assert voucher.expected_date is None and voucher.next_steps[0].en == "Keep your new PIN safe."


def test_estimated_expected_date_is_carried_in_the_payload(policy):
    voucher = issue(policy, service="batch_new", when=datetime(2031, 1, 6, 9, 0), serial="CS01-T01-20310106-0001")
    assert voucher.expected_is_estimate  # past the published holiday data
    assert verify_payload(voucher.qr_payload(KEY), KEY, now=datetime(2031, 1, 6, 9, 0))["expected_is_estimate"] is True


# --- the signed QR payload -------------------------------------------------------------


def test_payload_round_trip(policy):
    payload = issue(policy).qr_payload(KEY)
    fields = verify_payload(payload, KEY)
    assert fields == {
        "version": 1,
        "serial": "CS01-T01-20261123-0007",
        "test": False,
        "outlet_id": "CS-01",
        "terminal_id": "T01",
        "service": "apply",
        "issued_at": datetime(2026, 11, 23, 14, 5),
        "expected_date": date(2026, 11, 23),
        "expected_is_estimate": False,
        "id_last4": "002X",
    }


def test_payload_is_short_and_fits_qr_alphanumeric_mode(policy):
    payload = issue(policy, service="pin_change", serial="TEST-CS01-T01-20261123-0007").qr_payload(KEY)
    assert len(payload) <= 90 and set(payload) <= QR_ALPHANUMERIC
    assert ID_NUMBER[:6] not in payload and "欧" not in payload


def test_payload_signed_by_another_terminal_is_rejected(policy):
    with pytest.raises(VoucherForged, match="signature does not match: altered or forged"):
        verify_payload(issue(policy).qr_payload(OTHER_KEY), KEY)


@pytest.mark.parametrize("text", ["", "hello", "https://example.com/voucher", "SSV1/only/three", "SSV1/票/A", None])
def test_garbage_is_not_a_voucher_payload(text):
    with pytest.raises(VoucherForged, match="not a voucher payload"):
        verify_payload(text, KEY)


def test_future_version_is_named_as_unknown(policy):
    payload = issue(policy).qr_payload(KEY).replace("SSV1", "SSV2", 1)
    with pytest.raises(VoucherForged, match="unknown version SSV2"):
        verify_payload(payload, KEY)


PAYLOAD = Voucher.issue(
    serial="CS01-T01-20261123-0007",
    service="batch_replace",
    issued_at=datetime(2026, 11, 23, 14, 5),
    holder_name=NAME,
    id_number=ID_NUMBER,
    outlet=load_policy("chongqing-changshou").outlet("CS-24"),
    policy=load_policy("chongqing-changshou"),
).qr_payload(KEY)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(position=st.integers(0, len(PAYLOAD) - 1), replacement=st.characters(codec="utf-8"))
def test_any_one_character_change_is_rejected(position, replacement):
    if PAYLOAD[position] == replacement:
        replacement = "A" if replacement != "A" else "B"
    altered = PAYLOAD[:position] + replacement + PAYLOAD[position + 1 :]
    with pytest.raises(VoucherForged):
        verify_payload(altered, KEY)


@settings(max_examples=150, deadline=None)
@given(
    position=st.integers(0, len(PAYLOAD)),
    inserted=st.sampled_from(sorted(QR_ALPHANUMERIC)),
)
def test_any_inserted_or_deleted_character_is_rejected(position, inserted):
    with pytest.raises(VoucherForged):
        verify_payload(PAYLOAD[:position] + inserted + PAYLOAD[position:], KEY)
    if position < len(PAYLOAD):
        with pytest.raises(VoucherForged):
            verify_payload(PAYLOAD[:position] + PAYLOAD[position + 1 :], KEY)


@settings(max_examples=60, deadline=None)
@given(
    service=st.sampled_from(["apply", "pin_change", "batch_new", "status_query", "loss_report"]),
    when=st.datetimes(min_value=datetime(2024, 1, 1), max_value=datetime(2026, 12, 1)),
    number=st.integers(1, 20000),
)
def test_round_trip_for_any_service_time_and_number(policy, service, when, number):
    when = when.replace(second=0, microsecond=0)
    serial = format_serial("CS-24", "T9", when.date(), number)
    voucher = issue(policy, serial=serial, service=service, when=when)
    fields = verify_payload(voucher.qr_payload(KEY), KEY)
    assert (fields["serial"], fields["service"], fields["issued_at"], fields["expected_date"]) == (serial, service, when, voucher.expected_date)
