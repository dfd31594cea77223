"""`kiosk run --with-simulators` (the README's first command with a display): the simulators
come up before the kiosk, the kiosk finds them, and stopping it by its PID stops them too."""

from __future__ import annotations

import json
import re
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from hwsim.control import Registration
from tests.support.processes import start, stop, wait_for

pytestmark = pytest.mark.ui

KIOSK = str(Path(sys.executable).with_name("kiosk"))
SIMULATORS = ("id-reader", "printer", "camera", "centre")


def test_run_with_simulators_starts_them_first_and_stops_them_with_the_kiosk(portrait_display, tmp_path, monkeypatch):
    data = tmp_path / "kiosk-data"
    proc = start([KIOSK, "run", "--with-simulators", "--window", "540x960"],
                 env={"DISPLAY": portrait_display.name, "KIOSK_DATA_DIR": str(data)},
                 stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)  # fmt: skip
    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.extend(proc.stderr), daemon=True)
    reader.start()
    try:
        wait_for(lambda: any("simulators in" in line for line in lines) or proc.poll() is not None, 60, "the simulators")
        found = [m for line in lines if (m := re.search(r"simulators in (\S+);", line))]
        assert found, "".join(lines)[-3000:]
        monkeypatch.setenv("KIOSK_SIM_DIR", found[0].group(1))
        sims = {name: Registration.read(name) for name in SIMULATORS}
        assert len({reg.pid for reg in sims.values()}) == 1
        # The kiosk is up when its services have opened the outbox in its data dir.
        wait_for(lambda: (data / "kiosk.sqlite3").exists() or proc.poll() is not None, 60, "the kiosk")
        assert proc.poll() is None, "".join(lines)[-3000:]
        proc.send_signal(signal.SIGTERM)  # by PID, as a service manager stops it
        proc.wait(30)
    finally:
        stop(proc)
    for name in SIMULATORS:
        with pytest.raises(LookupError):
            Registration.read(name)
    listed = subprocess.run([KIOSK, "sim", "list", "--json"], capture_output=True, text=True, timeout=30)
    assert [row for row in json.loads(listed.stdout) if row.get("running")] == []
