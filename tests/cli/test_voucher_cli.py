"""`kiosk voucher sign-test` and `kiosk voucher verify` through the real command line:
exit 0 for an authentic payload, 1 with a reason for an altered or forged one."""

import json
import subprocess
import sys
from pathlib import Path

from kiosk.cli import exitcodes
from kiosk.config import SIMULATOR_CONFIG
from kiosk.keys import write_new_key_file

KIOSK = [sys.executable, "-m", "kiosk"]


def kiosk(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([*KIOSK, *args], capture_output=True, text=True, timeout=60)


def sign_test(*args: str) -> dict:
    result = kiosk("voucher", "sign-test", "--json", *args)
    assert result.returncode == exitcodes.OK, result.stderr
    return json.loads(result.stdout)


def test_test_voucher_round_trips_and_exits_0():
    issued = sign_test()
    assert issued["serial"].startswith("TEST-CS01-T01-") and issued["serial"].endswith("-0001")
    assert issued["holder_name"] == "测***" and issued["id_number"] == "110105********002X"
    result = kiosk("voucher", "verify", issued["payload"])
    assert result.returncode == exitcodes.OK, result.stderr
    assert "authentic voucher (TEST voucher" in result.stdout and issued["serial"] in result.stdout
    assert "申领社保卡 / Apply for a new card" in result.stdout


def test_test_voucher_serials_come_from_the_persistent_counter():
    first, second = sign_test("--service", "pin_change"), sign_test()
    assert first["serial"].endswith("-0001") and second["serial"].endswith("-0002")


def test_altered_payload_exits_1_with_the_reason():
    payload = sign_test()["payload"]
    altered = payload.replace("/APPLY/", "/UPGRADE/")
    result = kiosk("voucher", "verify", altered)
    assert result.returncode == exitcodes.FAILED
    assert "NOT AUTHENTIC: signature does not match: altered or forged" in result.stderr
    assert result.stdout == ""


def test_verify_json_reports_fields_and_failures():
    payload = sign_test()["payload"]
    ok = json.loads(kiosk("voucher", "verify", "--json", payload).stdout)
    assert ok["ok"] is True and ok["service"] == "apply" and ok["outlet_id"] == "CS-01" and ok["test"] is True
    bad = kiosk("voucher", "verify", "--json", "not-a-voucher")
    assert bad.returncode == exitcodes.FAILED
    assert json.loads(bad.stdout) == {"ok": False, "reason": "not a voucher payload"}


def test_payload_from_another_terminal_key_exits_1(tmp_path: Path):
    payload = sign_test()["payload"]
    key = tmp_path / "other.key"
    write_new_key_file(key)
    config = tmp_path / "other.toml"
    text = SIMULATOR_CONFIG.read_text(encoding="utf-8").replace('key_file = "simulator-terminal.key"', f'key_file = "{key}"')
    config.write_text(text, encoding="utf-8")
    result = kiosk("voucher", "verify", "--config", str(config), payload)
    assert result.returncode == exitcodes.FAILED and "signature does not match" in result.stderr


def test_unknown_service_is_a_usage_error():
    result = kiosk("voucher", "sign-test", "--service", "teleport")
    assert result.returncode == exitcodes.USAGE and "unknown service 'teleport'" in result.stderr
