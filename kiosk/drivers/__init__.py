"""Device drivers. Each speaks its device's real protocol and reports state as values
(`kiosk.drivers.status`), so the same driver runs against hardware and the simulator.

Each kind has `<kind>/interface.py` (the Protocol flows use) and `<kind>/fake.py` (an
in-process stand-in for flow tests); `factory.py` builds a terminal's devices from its
config, with the simulator's hooks (`simulation.py`) only on a simulator configuration."""
