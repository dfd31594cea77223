"""The hardware simulator: stands on the far side of the kiosk's real device protocols."""
