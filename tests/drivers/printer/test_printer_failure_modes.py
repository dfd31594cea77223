"""One test per way printing goes wrong, driver and simulator talking over a real pty."""

import os
import threading

from hwsim import kiosk_hooks
from hwsim.control import send
from hwsim.pty_device import PtyDevice
from kiosk.drivers.printer import ReceiptPrinter
from kiosk.drivers.status import CancelToken, CoverState, DeviceState, Recovery, ResultCode, SupplyState
from kiosk.printing.voucher_layout import voucher_job

from .conftest import FAST, job_files, wait_for_job


def test_ready_printer_reports_online_and_full(printer):
    done = printer.refresh_status()
    assert done.ok
    assert done.value.state is DeviceState.ONLINE
    assert done.value.supplies["paper"] is SupplyState.FULL


def test_paper_out_before_the_job_prints_nothing(sim, printer, voucher, key):
    send("printer", "paper_out")
    done = printer.print_job(voucher_job(voucher, key).job)
    assert done.code is ResultCode.NO_MEDIA
    assert done.recovery is Recovery.STAFF_CAN_CLEAR
    assert "nothing was printed" in done.reason
    # The simulator answered the driver's last query after everything sent before it, so
    # a job (and its file) would exist by now.
    assert job_files(sim) == [] and sim.model.status()["jobs"] == 0
    assert sim.model.status()["dropped_bytes"] == 0  # not a byte of the job was sent


def test_cover_open_prints_nothing(sim, printer, voucher, key):
    send("printer", "cover", state="open")
    done = printer.print_job(voucher_job(voucher, key).job)
    assert done.code is ResultCode.REFUSED
    assert done.detail["cover"] == "open"
    assert printer.status().cover is CoverState.OPEN
    assert printer.status().state is DeviceState.USER_ERROR
    assert job_files(sim) == [] and sim.model.status()["dropped_bytes"] == 0


def test_paper_near_end_prints_and_is_reported_for_staff(sim, printer, voucher, key):
    send("printer", "paper_low")
    seen = []
    printer.reporter.add_listener(seen.append)
    done = printer.print_job(voucher_job(voucher, key).job)
    assert done.ok
    assert done.value.status.supplies["paper"] is SupplyState.LOW
    assert done.value.status.recovery is Recovery.STAFF_CAN_CLEAR
    assert any(s.supplies.get("paper") is SupplyState.LOW for s in seen)
    assert wait_for_job(sim, 1)["complete"]


def test_paper_running_out_mid_voucher_is_reported_incomplete_and_reprint_works(sim, printer, voucher, key):
    job = voucher_job(voucher, key).job
    send("printer", "paper_low", mm=60)  # a voucher needs about 200 mm
    done = printer.print_job(job)
    assert done.code is ResultCode.NO_MEDIA
    assert done.detail["reprint"] is True
    assert "reprinted" in done.reason
    partial = wait_for_job(sim, 1)
    assert not partial["complete"] and partial["stopped_reason"] == "paper end"
    assert partial["qr"] == []  # the QR at the bottom never made it

    send("printer", "load_paper", meters=50)
    again = printer.print_job(job)
    assert again.ok
    reprint = wait_for_job(sim, 2)
    assert reprint["complete"] and reprint["cut"] and len(reprint["qr"]) == 1


def test_cover_opened_mid_job_is_reported_incomplete(sim, voucher, key):
    sim.model.receive(b"\x1b@\x1c&" + "半张凭证\n".encode("gb18030"))  # a job already under way
    send("printer", "cover", state="open")
    printer = ReceiptPrinter("sim://printer", FAST, resolve=kiosk_hooks.resolve)
    try:
        assert printer.print_job(voucher_job(voucher, key).job).code is ResultCode.REFUSED
    finally:
        printer.close()
    assert wait_for_job(sim, 1)["stopped_reason"] == "cover open"


def test_silent_printer_is_an_error_not_paper_adequate(sim, printer, voucher, key):
    send("printer", "power", state="off")
    done = printer.refresh_status()
    assert done.code is ResultCode.NO_DEVICE
    assert "not assumed adequate" in done.reason
    assert printer.status().state is DeviceState.NO_DEVICE
    assert printer.status().supplies.get("paper") is not SupplyState.FULL
    assert printer.print_job(voucher_job(voucher, key).job).code is ResultCode.NO_DEVICE


def test_unplugged_then_replugged(sim, printer, voucher, key):
    assert printer.refresh_status().ok  # the port is open now
    send("printer", "unplug")
    done = printer.refresh_status()
    assert done.code is ResultCode.NO_DEVICE
    assert printer.print_job(voucher_job(voucher, key).job).code is ResultCode.NO_DEVICE
    send("printer", "plug")
    assert printer.refresh_status().ok
    assert printer.print_job(voucher_job(voucher, key).job).ok
    assert wait_for_job(sim, 1)["complete"]


def test_replugged_between_two_jobs_prints_at_the_first_try(sim, printer, voucher, key):
    assert printer.refresh_status().ok  # the port is open now; the cable is pulled and put back
    send("printer", "unplug")
    send("printer", "plug")
    assert printer.print_job(voucher_job(voucher, key).job).ok


def test_cancel_while_sending_stops_and_asks_for_a_reprint(sim, printer, voucher, key):
    cancel = CancelToken()
    job = voucher_job(voucher, key).job
    done = printer.print_job(job, cancel=cancel, progress=lambda sent, total: cancel.cancel())
    assert done.code is ResultCode.CANCELLED
    assert done.detail["reprint"] is True
    assert 0 < done.detail["bytes_sent"] < len(job)


def test_unknown_bytes_are_recorded_in_the_job_log(sim, printer):
    job = b"\x1b@\x1c&" + "开始\n".encode("gb18030") + b"\x1b\x7f\x01" + b"end\n\x1dV\x00"
    assert printer.print_job(job).ok
    record = wait_for_job(sim, 1)
    reasons = [u["reason"] for u in record["unknown_commands"]]
    assert any("ESC 0x7F" in r for r in reasons) and any("0x01" in r for r in reasons)
    assert record["lines"] == ["开始", "end"]


def test_garbage_status_answer_is_a_protocol_error():
    """A device on the port that is not an ESC/POS printer (say, the ID reader's port)."""
    device = PtyDevice("not-a-printer")
    stop = threading.Event()

    def answer_garbage():
        while not stop.is_set():
            if device.read(64, timeout=0.05):
                device.write(b"\xff")

    thread = threading.Thread(target=answer_garbage, daemon=True)
    thread.start()
    printer = ReceiptPrinter(f"serial://{device.link}", FAST)
    try:
        done = printer.refresh_status()
        assert done.code is ResultCode.PROTOCOL_ERROR
        assert "0xFF" in done.reason
        assert printer.status().state is DeviceState.HARDWARE_ERROR
    finally:
        printer.close()
        stop.set()
        thread.join()
        device.close()


def test_missing_port_is_no_device(tmp_path):
    printer = ReceiptPrinter(f"serial://{tmp_path}/ttyUSB9", FAST)
    done = printer.refresh_status()
    assert done.code is ResultCode.NO_DEVICE
    assert not os.path.exists(tmp_path / "ttyUSB9")
