"""CI's sample of scripts/soak: 24 journeys of every service in this process. The 500-journey
run is the command; its figures are in docs/reliability.md."""

from __future__ import annotations

from tests.reliability.soak import RSS_BUDGET_MB, Journeys, soak


def test_three_rounds_of_every_service_leave_no_descriptor_no_thread_and_little_memory(tmp_path):
    report = soak(24, warmup=8, progress=lambda _text: None, work=tmp_path)
    services = {s.service for s in report.samples}
    assert services == {"apply", "loss_cancel", "loss_report", "status_query", "pin_change", "pin_reset", "activate", "replace"}
    assert report.fd_growth <= 0 and report.thread_growth <= 0
    assert report.rss_growth_mb <= RSS_BUDGET_MB and report.ok


class LeakyJourneys(Journeys):
    """Every status query forgets to close a file: what the soak is there to catch."""

    kept: list = []

    def status_query(self) -> None:
        super().status_query()
        self.kept.append(open(__file__, "rb"))  # noqa: SIM115  (the leak, on purpose)


def test_a_journey_that_leaks_a_descriptor_is_caught(tmp_path):
    try:
        report = soak(16, warmup=8, progress=lambda _text: None, work=tmp_path, plan_class=LeakyJourneys)
    finally:
        for f in LeakyJourneys.kept:
            f.close()
    assert report.fd_growth == 1 and not report.ok  # the status query of round 2 (journey 12)
