"""The staff-call light: the real driver against the relay-board simulator, through its bytes."""

import inspect
import time

import pytest

from hwsim.control import send
from hwsim.kiosk_hooks import resolve
from hwsim.staff_signal import StaffSignalSimulator
from kiosk.drivers.staff_signal import RelaySignal, StaffSignalDevice
from kiosk.drivers.staff_signal.fake import FakeStaffSignal
from kiosk.drivers.staff_signal.relay import frame
from kiosk.drivers.status import DeviceState, ResultCode


def wait_for(condition, timeout=3.0):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if condition():
            return True
        time.sleep(0.01)
    return False


@pytest.fixture
def board():
    sim = StaffSignalSimulator().start()
    yield sim
    sim.stop()


@pytest.fixture
def light(board):
    device = RelaySignal("sim://staff-signal", resolve=resolve)
    yield device
    device.close()


def test_frames_are_the_boards_four_bytes_with_their_checksum():
    assert frame(1, True) == bytes.fromhex("A00101A2")
    assert frame(1, False) == bytes.fromhex("A00100A1")
    with pytest.raises(ValueError):
        frame(9, True)


def test_a_call_lights_the_tower_and_clear_puts_it_out(board, light):
    assert light.call().ok
    assert wait_for(lambda: board.light)
    assert light.status().state is DeviceState.ONLINE
    assert light.clear().ok
    assert wait_for(lambda: not board.light)
    assert board.status()["calls"] == 1 and board.bad_frames == 0


def test_the_light_is_steered_and_seen_over_the_control_socket(board, light):
    light.call()
    assert wait_for(lambda: send("staff-signal", "status")["light"])
    send("staff-signal", "acknowledge")  # staff press the tower's reset button
    assert not board.light


def test_a_frame_with_a_wrong_checksum_is_ignored_like_the_board_does(board):
    board.feed(bytes.fromhex("A00101A3"))
    assert not board.light and board.bad_frames == 1
    board.feed(bytes.fromhex("55") + frame(1, True)[:2])  # noise, then half a frame
    assert not board.light
    board.feed(frame(1, True)[2:])
    assert board.light


def test_unplugged_light_is_no_device_not_a_crash(board, light):
    send("staff-signal", "unplug")
    done = light.call()
    assert done.code is ResultCode.NO_DEVICE
    assert light.status().state is DeviceState.NO_DEVICE
    send("staff-signal", "plug")
    assert light.call().ok  # reopens by itself once it is back
    assert wait_for(lambda: board.light)


def test_no_simulator_running_is_no_device():
    device = RelaySignal("sim://staff-signal", resolve=resolve)
    assert device.call().code is ResultCode.NO_DEVICE
    assert device.refresh_status().code is ResultCode.NO_DEVICE


def test_the_real_driver_and_the_fake_keep_to_the_interface():
    wanted = {n: inspect.signature(v) for n, v in vars(StaffSignalDevice).items() if callable(v) and not n.startswith("_")}
    for device in (RelaySignal("serial:///dev/nonexistent"), FakeStaffSignal()):
        assert isinstance(device, StaffSignalDevice)
        for name, signature in wanted.items():
            offered = inspect.signature(getattr(type(device), name))
            assert [p.name for p in offered.parameters.values()] == [p.name for p in signature.parameters.values()], name


def test_the_fake_unplugged_refuses_like_the_real_one():
    fake = FakeStaffSignal()
    assert fake.call().ok and fake.lit
    fake.unplug()
    assert fake.clear().code is ResultCode.NO_DEVICE


def run_cli(*args):
    import subprocess
    import sys

    return subprocess.run([sys.executable, "-m", "kiosk", "devices", "staff-signal", *args], capture_output=True, text=True, timeout=60)


def test_the_technician_lights_it_from_the_command_line(board):
    done = run_cli("--seconds", "0.2", "--json")
    assert done.returncode == 0, done.stderr
    assert board.frames == 2 and board.status()["calls"] == 1 and not board.light


def test_the_command_line_says_no_device_with_exit_4():
    done = run_cli("--seconds", "0")
    assert done.returncode == 4 and "no_device" in done.stderr
