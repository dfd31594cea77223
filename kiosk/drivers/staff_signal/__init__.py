"""The staff-call signal: a light tower or buzzer at the outlet that the kiosk switches on
when a resident presses 「呼叫工作人员」, on a USB-serial relay (protocol in relay.py)."""

from kiosk.drivers.staff_signal.interface import StaffSignalDevice
from kiosk.drivers.staff_signal.relay import RelaySignal

__all__ = ["RelaySignal", "StaffSignalDevice"]
