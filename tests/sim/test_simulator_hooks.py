"""The kiosk finds the simulator through the hooks its configuration names, and only then:
a production terminal gets none, a missing hooks module is "not installed", never a crash."""

from __future__ import annotations

import dataclasses
import logging

import pytest

from hwsim import kiosk_hooks
from hwsim.card.psam import SimulatedPsam
from hwsim.control import ControlServer
from kiosk.config import SIMULATOR_CONFIG, load_config
from kiosk.drivers.factory import build_devices
from kiosk.drivers.simulation import SimulatorHooks, load_simulator_hooks, simulators_for
from kiosk.drivers.status import DeviceState, ResultCode


@pytest.fixture
def simulator_config():
    return load_config(SIMULATOR_CONFIG)


@pytest.fixture
def production_like(simulator_config):
    return dataclasses.replace(simulator_config, production=True, simulator=None)


def test_a_simulator_config_gets_the_hooks_it_names(simulator_config):
    hooks = load_simulator_hooks(simulator_config)
    assert hooks is kiosk_hooks and isinstance(hooks, SimulatorHooks)


def test_a_production_config_gets_no_hooks(production_like):
    assert load_simulator_hooks(production_like) is None


def test_hooks_that_are_not_installed_are_logged_and_none(simulator_config, caplog):
    config = dataclasses.replace(
        simulator_config, simulator=dataclasses.replace(simulator_config.simulator, hooks="no_such_simulator.hooks")
    )
    with caplog.at_level(logging.WARNING, logger="kiosk.drivers.simulation"):
        assert load_simulator_hooks(config) is None
    assert "not installed" in caplog.text


def test_a_module_that_is_not_hooks_is_refused(simulator_config):
    config = dataclasses.replace(
        simulator_config, simulator=dataclasses.replace(simulator_config.simulator, hooks="hwsim.control")
    )
    assert load_simulator_hooks(config) is None  # it has no resolve(url) / test_psam()


def test_resolve_takes_the_whole_device_url():
    server = ControlServer("printer", "/dev/pts/77", {}).start()
    try:
        assert kiosk_hooks.resolve("sim://printer?baud=9600") == "/dev/pts/77"
        assert kiosk_hooks.resolve("sim:///printer") == "/dev/pts/77"
    finally:
        server.stop()
    with pytest.raises(LookupError):
        kiosk_hooks.resolve("sim://printer")


def test_the_simulator_config_s_card_reader_gets_the_test_psam_and_production_none(simulator_config, production_like):
    assert isinstance(build_devices(simulator_config, load_simulator_hooks(simulator_config)).card_reader.application.authenticator, SimulatedPsam)
    assert build_devices(production_like, None).card_reader.application.authenticator is None


def test_a_sim_device_without_hooks_is_no_device(simulator_config):
    devices = build_devices(simulator_config, None)
    assert devices.printer.refresh_status().code is ResultCode.NO_DEVICE
    assert "not installed" in devices.printer.status().detail
    assert devices.id_reader.card_present().code is ResultCode.NO_DEVICE
    with devices.camera() as camera:
        assert camera.capture(timeout=1.0).code is ResultCode.NO_DEVICE
        assert camera.status().state is DeviceState.NO_DEVICE and "not installed" in camera.status().detail


def test_control_steers_a_running_simulator_with_any_argument_name():
    seen = {}
    server = ControlServer("printer", "/dev/pts/77", {"cover": lambda args: seen.update(args) or "open"}).start()
    try:
        assert kiosk_hooks.control("printer", "cover", state="open", name="front") == "open"
    finally:
        server.stop()
    assert seen == {"state": "open", "name": "front"}
    with pytest.raises(LookupError):
        kiosk_hooks.control("printer", "status")


def test_a_configuration_without_hooks_cannot_start_the_simulators(production_like, tmp_path):
    with pytest.raises(RuntimeError, match="not installed or not enabled"):
        simulators_for(production_like, tmp_path)
