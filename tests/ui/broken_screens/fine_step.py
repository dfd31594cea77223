from kiosk.screens.base import KioskScreen


class FineStep(KioskScreen):
    screen_name = "fine_step"
