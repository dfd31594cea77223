from kiosk.ui.screen import KioskScreen


class Unfriendly(KioskScreen):
    """Breaks every rule of tests/ui/screen_checks.py: tiny grey text, a tiny button, nothing to say."""

    screen_name = "unfriendly"
