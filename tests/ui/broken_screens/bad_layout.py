from kivy.properties import ObjectProperty

from kiosk.screens.base import KioskScreen


class BadLayout(KioskScreen):
    screen_name = "bad_layout"
    ink = ObjectProperty(None)
