"""The Prometheus exporter: a collector that builds the metrics from a fresh snapshot at each
scrape, served over HTTP on the address and port of the config's `[metrics]`.

Every label value comes from a closed set (device kinds and states, paper states, outbox
states and kinds, the domain's service codes) or from the build, so the metrics cannot carry
a person whatever the kiosk does. Enum-valued facts are one series per member with the value
1 for the current one (`kiosk_device_state{device="printer",state="offline"} 1`), so an alert
reads `== 1` and a dashboard can stack them. Names and meanings: docs/monitoring.md.
"""

from __future__ import annotations

import hmac
import logging
import socket
import threading
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator
from wsgiref.simple_server import WSGIRequestHandler, make_server

from prometheus_client import CollectorRegistry, generate_latest, make_wsgi_app
from prometheus_client.exposition import ThreadingWSGIServer
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

from kiosk.drivers.status import CoverState, DeviceState, SupplyState
from kiosk.health.snapshot import HealthSnapshot, HealthSources
from kiosk.offline.item_states import ItemState

log = logging.getLogger(__name__)

PREFIX = "kiosk"


def _one_hot(name: str, doc: str, labels: list[str], fixed: list[str], members, current) -> GaugeMetricFamily:
    family = GaugeMetricFamily(name, doc, labels=[*labels, "state"])
    for member in members:
        family.add_metric([*fixed, str(member)], 1.0 if member == current else 0.0)
    return family


def _counter(name: str, doc: str, labels: list[str], counts: dict[str, dict[str, int]]) -> CounterMetricFamily:
    """A counter family from {first label: {second label: count}}."""
    family = CounterMetricFamily(name, doc, labels=labels)
    for outer, inner in counts.items():
        for key, n in inner.items():
            family.add_metric([outer, key], float(n))
    return family


def metrics(snap: HealthSnapshot) -> Iterator[Metric]:
    """The metric families of one snapshot (the collector's answer to a scrape)."""
    info = GaugeMetricFamily(f"{PREFIX}_build_info", "Which software the terminal runs: 1, with the version and the booted slot",
                             labels=["terminal_id", "outlet_id", "version", "slot"])  # fmt: skip
    info.add_metric([snap.terminal_id, snap.outlet_id, snap.software.version, snap.software.slot], 1.0)
    yield info
    devices = GaugeMetricFamily(f"{PREFIX}_device_state", "Each device's state (kiosk/drivers/status.py): 1 for the current one",
                                labels=["device", "state"])  # fmt: skip
    for d in snap.devices:
        for state in DeviceState:
            devices.add_metric([str(d.device), str(state)], 1.0 if state is d.state else 0.0)
    yield devices
    for d in snap.devices:
        if d.paper is not None:
            yield _one_hot(f"{PREFIX}_printer_paper", "The receipt paper: 1 for the current state", [], [], SupplyState, d.paper)
            yield _one_hot(f"{PREFIX}_printer_cover", "The printer's cover: 1 for the current state", [], [], CoverState, d.cover)
    yield GaugeMetricFamily(f"{PREFIX}_outbox_readable", "1 when the outbox database could be counted", value=float(snap.outbox.readable))
    items = GaugeMetricFamily(f"{PREFIX}_outbox_items", "Outbox items by state (sent ones are kept retention_days)", labels=["state"])
    for state in ItemState:
        items.add_metric([str(state)], float(snap.outbox.items.get(state, 0)))
    yield items
    yield GaugeMetricFamily(f"{PREFIX}_outbox_oldest_waiting_seconds",
                            "Age of the oldest item not yet confirmed by the centre (pending or in flight); 0 when none waits",
                            value=snap.oldest_waiting_age_s or 0.0)  # fmt: skip
    staff = GaugeMetricFamily(f"{PREFIX}_outbox_needing_staff", "Dead and rejected items by outbox kind", labels=["kind"])
    for kind, n in snap.needing_staff().items():
        staff.add_metric([kind], float(n))
    yield staff
    yield GaugeMetricFamily(f"{PREFIX}_outbox_open_alerts", "Staff alerts the outbox raised and staff have not resolved",
                            value=float(snap.outbox.open_alerts))  # fmt: skip
    yield GaugeMetricFamily(f"{PREFIX}_staff_calls_waiting", "Staff calls (呼叫工作人员) not yet delivered to the centre",
                            value=float(snap.outbox.staff_calls_waiting))  # fmt: skip
    yield _counter(f"{PREFIX}_outbox_deliveries", "Deliveries to the centre by outbox kind and the state they left the item in",
                   ["kind", "result"], snap.delivery_counts())  # fmt: skip
    yield _counter(f"{PREFIX}_journeys", "Residents' journeys by service: started, finished, failed, abandoned",
                   ["service", "event"], snap.journey_counts())  # fmt: skip
    if snap.certificate_expires_at is not None:
        yield GaugeMetricFamily(f"{PREFIX}_certificate_expiry_timestamp_seconds",
                                "When the terminal's TLS client certificate expires (Unix time)", value=snap.certificate_expires_at)  # fmt: skip
    if snap.last_centre_contact_at is not None:
        yield GaugeMetricFamily(f"{PREFIX}_centre_last_contact_timestamp_seconds",
                                "When the centre last answered this process (Unix time)", value=snap.last_centre_contact_at)  # fmt: skip
    yield GaugeMetricFamily(f"{PREFIX}_clock_timestamp_seconds",
                            "The terminal's clock at the scrape (Unix time): compare with timestamp() for skew", value=snap.taken_at)  # fmt: skip


class HealthCollector(Collector):
    def __init__(self, sources: HealthSources) -> None:
        self.sources = sources

    def collect(self) -> Iterator[Metric]:
        return metrics(self.sources.take())


def health_registry(sources: HealthSources) -> CollectorRegistry:
    """A registry with the health collector alone (no process or platform collectors: they
    name the command line and its paths)."""
    registry = CollectorRegistry(auto_describe=False)
    registry.register(HealthCollector(sources))
    return registry


def exposition(sources: HealthSources) -> bytes:
    """What a scrape reads, without HTTP (tests, `kiosk metrics show --format prometheus`)."""
    return generate_latest(health_registry(sources))


class _Quiet(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:  # a scrape every 30 s is not news
        pass


def read_token(path: str) -> bytes | None:
    """The bearer token in `path` (its first line); None when no file is configured."""
    if not path:
        return None
    token = Path(path).read_bytes().strip().split(b"\n", 1)[0].strip()
    if len(token) < 16:
        raise ValueError(f"{path}: the token is shorter than 16 characters")
    return token


def bearer_only(app: Callable, token: bytes | None) -> Callable:
    """`app` behind `Authorization: Bearer <token>` (compared in constant time); 401 without it."""
    if token is None:
        return app
    expected = b"Bearer " + token

    def checked(environ: dict, start_response: Callable) -> Iterable[bytes]:
        given = environ.get("HTTP_AUTHORIZATION", "").encode("latin-1", "replace")
        if not hmac.compare_digest(given, expected):
            start_response("401 Unauthorized", [("WWW-Authenticate", 'Bearer realm="sscard-kiosk"'), ("Content-Type", "text/plain")])
            return [b"a bearer token is needed (metrics.token_file)\n"]
        return app(environ, start_response)

    return checked


class MetricsServer:
    """/metrics on `bind:port` in a daemon thread, until `stop()`; with `token`, only for scrapes
    that present it."""

    def __init__(self, sources: HealthSources, bind: str, port: int, token: bytes | None = None) -> None:
        self.registry = health_registry(sources)

        class Server(ThreadingWSGIServer):
            address_family = socket.AF_INET6 if ":" in bind else socket.AF_INET

        self._httpd = make_server(bind, port, bearer_only(make_wsgi_app(self.registry), token), Server, handler_class=_Quiet)
        self._thread = threading.Thread(target=self._httpd.serve_forever, name="metrics-http", daemon=True)
        self._thread.start()
        self.port = self._httpd.server_address[1]  # the one bound (port 0: any free one)
        log.info("metrics exporter listening on %s:%d%s", bind, self.port, " (bearer token)" if token else "")

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)
