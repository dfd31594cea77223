"""The staff-call signal simulator: a USB relay board with a light tower, behind a pty."""

from hwsim.staff_signal.simulator import StaffSignalSimulator

__all__ = ["StaffSignalSimulator"]
