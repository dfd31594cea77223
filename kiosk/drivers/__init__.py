"""Device drivers. Each speaks its device's real protocol and reports state as values
(`kiosk.drivers.status`), so the same driver runs against hardware and the simulator."""
