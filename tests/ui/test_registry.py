"""The flow registry the home screen consults."""

from __future__ import annotations

from kiosk.flows import registry


async def example_flow(port) -> None:
    await port.show("service_info", service=port.service)


def test_a_registered_flow_is_found_by_its_service_code(monkeypatch):
    monkeypatch.setitem(registry.FLOWS, "apply", example_flow)
    assert registry.flow_for("apply") is example_flow


def test_a_service_without_a_flow_has_none(monkeypatch):
    monkeypatch.delitem(registry.FLOWS, "apply", raising=False)
    assert registry.flow_for("apply") is None


def test_registered_flows_are_known_services():
    from kiosk.domain.services import BY_CODE

    assert set(registry.FLOWS) <= set(BY_CODE)
