from kiosk.ui.screen import KioskScreen


class FineStep(KioskScreen):
    screen_name = "fine_step"
