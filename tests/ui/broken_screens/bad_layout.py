from kivy.properties import ObjectProperty

from kiosk.ui.screen import KioskScreen


class BadLayout(KioskScreen):
    screen_name = "bad_layout"
    ink = ObjectProperty(None)
