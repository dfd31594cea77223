"""A whole new-card application's software time, and the durable commit it ends with.

1. journey: the apply flow end to end, headless (a ScriptedPort answers at once: no think
   time), against unpaced simulators in this process (ID reader on a pty, camera over MJPEG
   at 60 fps, printer on a pty, centre over HTTP), for each kind of applicant.
   Baseline, in the same run: the device and storage calls one journey makes, back to back
   and without the flow: an ID card read, a photo attempt, an outbox enqueue of the same
   images, a delivery to the centre and a voucher print. The ratio is what the flow adds.
2. commit: kiosk.flows.submission.commit (a voucher serial, the voucher, the application and
   its images in one synchronous=FULL transaction), median and p99, against a bare SQLite
   INSERT of the same bytes in its own synchronous=FULL transaction (bench_outbox's baseline).
Run: bench/run journey
"""

from __future__ import annotations

import asyncio
import dataclasses
import os
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "hardware-sim"), str(ROOT / "bench")]

from bench_outbox import bare_inserts, percentiles  # noqa: E402

JOURNEYS_PER_KIND = 8
COMMITS = 60


def ms(seconds: float) -> str:
    return f"{seconds * 1e3:8.1f} ms"


def line(label: str, ours: list[float], base: list[float], base_label: str) -> None:
    (m, p), (bm, bp) = percentiles(ours), percentiles(base)
    print(f"{label:<30} median {ms(m)}  p99 {ms(p)}  | {base_label} median {ms(bm)}  p99 {ms(bp)}"
          f"  | ratio median {m / bm:5.2f}x  p99 {p / bp:5.2f}x")  # fmt: skip


def main() -> None:
    with tempfile.TemporaryDirectory(dir=os.environ.get("BENCH_DIR")) as tmp:
        work = Path(tmp)
        os.environ["KIOSK_SIM_DIR"] = str(work / "sim")
        os.environ["KIOSK_DATA_DIR"] = str(work / "data")
        from hwsim.rig import RigSettings, SimulatorRig
        from kiosk.config import load_config
        from kiosk.flows.context import FlowTimeouts, KioskServices
        from tests.flows import journeys

        print(f"work directory {work} (set BENCH_DIR to measure on the terminal's own disk)")
        with SimulatorRig(RigSettings(people=journeys.people(), camera_fps=60.0, state_dir=work / "state")) as rig:
            config = dataclasses.replace(load_config(), centre_url=rig.centre.url)
            timeouts = FlowTimeouts(card_wait_s=5.0, card_poll_s=0.02)
            services = KioskServices.build(config, timeouts=timeouts)
            try:
                kinds = {  # label: (script, ID cards read, photo taken)
                    "myself, ID card": (lambda: journeys.for_myself("resident"), ("resident",), True),
                    "child, guardian, no photo": (lambda: journeys.for_my_child("mother", "minor"), ("mother", "minor"), False),
                    "proxy, typed passport": (lambda: journeys.for_another_adult_by_passport("resident"), ("resident",), True),
                }
                journey(services, journeys.for_myself("resident") + journeys.FINISH)  # warm up: first connections
                device_calls(services, ("resident",), True)
                for label, (script, cards, photo) in kinds.items():
                    times, baseline = [], []
                    for _ in range(JOURNEYS_PER_KIND):  # interleaved: both see the same moments of a shared machine
                        times.append(journey(services, script() + journeys.FINISH))
                        baseline.append(device_calls(services, cards, photo))
                    line(f"journey: {label} (n={JOURNEYS_PER_KIND})", times, baseline, "device calls")
                bench_commit(services, work)
            finally:
                services.close()


def journey(services, script) -> float:
    from kiosk.flows.apply_card import apply_for_card
    from kiosk.flows.scripted import ScriptedPort

    port = ScriptedPort(script, services=services)
    start = time.perf_counter()
    asyncio.run(apply_for_card(port))
    took = time.perf_counter() - start
    if port.remaining or port.screens()[-1] != "done":
        raise SystemExit(f"a journey did not finish: {port.screens()}")
    return took


def device_calls(services, cards: tuple[str, ...], photo: bool) -> float:
    """What one journey asks of the devices, the disk and the centre, without the flow."""
    from kiosk.domain.voucher import Voucher
    from kiosk.offline.outbox import Attachment, Kind
    from kiosk.printing.voucher_layout import voucher_job
    from tests.flows import journeys

    took = 0.0
    for person in cards:
        journeys.place(person)  # placing a card is the resident's time, not the kiosk's
        start = time.perf_counter()
        read = services.id_reader.read_card()
        took += time.perf_counter() - start
    start = time.perf_counter()
    images = [Attachment("signature", journeys.signature_png(), "image/png")]
    if photo:
        with services.photo_session() as session:
            attempt = session.attempt(5.0).value
        images += [Attachment("photo", attempt.photo_jpeg), Attachment("scene", attempt.scene_jpeg)]
    serial = services.serials.next(services.config.outlet_id, services.config.terminal_id, datetime.now().date())
    voucher = Voucher.issue(serial=serial, service="apply", issued_at=datetime.now().replace(second=0, microsecond=0),
                            holder_name=read.value.document.name, id_number=read.value.document.id_number,
                            outlet=services.outlet, policy=services.policy)  # fmt: skip
    body = {"service": "apply", "applicant": {"id_number": read.value.document.id_number, "name": read.value.document.name}}
    item = services.outbox.enqueue(Kind.APPLICATION, body, attachments=images, voucher=voucher)
    services.deliver_now(item.id)
    printed = services.printer.print_job(voucher_job(voucher, services.key, services.config.printer).job)
    took += time.perf_counter() - start
    if not (read.ok and printed.ok):
        raise SystemExit("the baseline's device calls failed")
    return took


def bench_commit(services, work: Path) -> None:
    from kiosk.domain.application import Application, Identity, Pickup, Role, Source
    from kiosk.domain.documents import DocumentKind
    from kiosk.flows.submission import commit
    from tests.flows import journeys

    person = journeys.people()["resident"]
    with services.photo_session() as session:
        attempt = session.attempt(5.0).value
    application = Application(
        role=Role.SELF,
        applicant=Identity(DocumentKind.RESIDENT_ID, person.id_number, person.fields["name"], Source.READER),
        photo=bytearray(attempt.photo_jpeg), scene=bytearray(attempt.scene_jpeg),
        signature=bytearray(journeys.signature_png()), bank="icbc", pickup=Pickup("on_site"), phone=journeys.PHONE,
    )  # fmt: skip
    size = sum(len(data) for _name, data, _type in application.images()) + 2048
    ours = []
    for _ in range(COMMITS):
        start = time.perf_counter()
        commit(services, application)
        ours.append(time.perf_counter() - start)
    line(f"commit (n={COMMITS}, {size // 1024} KB)", ours, bare_inserts(work / "bare.db", COMMITS, size), "bare INSERT")


if __name__ == "__main__":
    main()
