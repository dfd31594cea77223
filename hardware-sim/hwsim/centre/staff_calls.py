"""呼叫工作人员 at the simulated centre: the staff calls kiosks send (docs/centre-api.yaml,
`callStaff`), kept in their own table so a test can see each press arrived exactly once.

What the real centre does with a call (an outlet desk screen, a staff member's phone) is
beyond the kiosk; the simulator keeps the calls and lists them on its control socket
(`kiosk sim ctl centre staff_calls`).
"""

from __future__ import annotations

from typing import Any

from hwsim.centre.contract import Reply
from hwsim.centre.extension import StoreExtension
from hwsim.centre.store import iso

SCHEMA = """
CREATE TABLE IF NOT EXISTS staff_calls (
    reference TEXT PRIMARY KEY, outlet_id TEXT NOT NULL, terminal_id TEXT NOT NULL,
    screen TEXT NOT NULL, service TEXT, called_at TEXT NOT NULL, received_at REAL NOT NULL,
    sent_by TEXT) STRICT;
"""


class StaffCalls(StoreExtension):
    SCHEMA = SCHEMA

    def call(self, body: dict[str, Any], terminal_id: str | None) -> Reply:
        """Runs inside the store's idempotent transaction: one row per Idempotency-Key."""
        reference = self.store._next("staff_call", "H")
        now = self.store.clock.now()
        self._db.execute(
            "INSERT INTO staff_calls VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [reference, body["outlet_id"], body["terminal_id"], body["screen"], body.get("service"), body["called_at"],
             now, terminal_id],
        )  # fmt: skip
        return 201, {"reference": reference, "status": "received", "received_at": iso(now)}

    def listed(self) -> list[dict[str, Any]]:
        """For the control socket and tests: every call, oldest first."""
        with self.store._lock:
            rows = self._db.execute("SELECT * FROM staff_calls ORDER BY received_at, reference").fetchall()
            return [dict(row) for row in rows]
