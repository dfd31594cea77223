"""The catalogue file itself: it loads, and a broken one is refused with its reason."""

import pytest

from kiosk.audit import CatalogueError, FieldType, catalogue
from kiosk.audit.catalogue import parse
from kiosk.drivers.status import DeviceKind, DeviceState

TYPES = "\n".join(f'[types.{t}]\nmeans = "x"\n' + ('values = ["a"]\n' if t in ("device", "state", "outcome", "action", "slot") else "")
                  for t in FieldType)  # fmt: skip


def test_the_kiosk_catalogue_loads_with_the_events_others_need():
    needed = {
        "session-started", "session-ended", "session-wiped", "service-started", "service-submitted",
        "voucher-printed", "device-fault", "device-recovered", "staff-entry", "staff-action",
        "update-installed", "update-rolled-back", "slot-marked-good", "staff-call",
    }  # fmt: skip
    assert needed <= set(catalogue().events)


def test_device_values_are_the_driver_vocabulary_and_the_centre():
    assert set(catalogue().types[FieldType.DEVICE].values) == {k.value for k in DeviceKind} | {"centre"}


def test_every_device_state_is_a_state_value():
    assert {s.value for s in DeviceState} <= set(catalogue().types[FieldType.STATE].values)


def test_staff_actions_are_the_ones_maintenance_mode_needs():
    assert set(catalogue().types[FieldType.ACTION].values) >= {
        "paper-refilled", "test-voucher", "outbox-send-now", "outbox-retry-dead",
        "out-of-service-on", "out-of-service-off", "logs-exported", "maintenance-left",
    }  # fmt: skip


def test_an_unknown_field_type_is_refused():
    with pytest.raises(CatalogueError, match="name"):
        parse(TYPES + '[events.x-happened]\nmeans = "m"\nby = "system"\nfields = { who = "name" }\n')


def test_a_field_type_missing_from_types_is_refused():
    with pytest.raises(CatalogueError, match="missing"):
        parse('[types.count]\nmeans = "n"\n')


def test_an_event_id_ending_in_complete_is_refused():
    with pytest.raises(CatalogueError, match="kebab-case"):
        parse(TYPES + '[events.x-complete]\nmeans = "m"\nby = "system"\n')


def test_an_event_without_meaning_is_refused():
    with pytest.raises(CatalogueError, match="needs means"):
        parse(TYPES + '[events.x]\nby = "system"\n')


def test_a_listed_type_without_values_is_refused():
    with pytest.raises(CatalogueError, match="needs its list of values"):
        parse(TYPES.replace('values = ["a"]\n', "", 1))
