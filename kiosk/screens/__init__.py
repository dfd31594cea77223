"""The kiosk's screens: one `<name>.py` plus one `<name>.kv` each, found by `kiosk.ui.navigator`.

A screen class subclasses the shell's `kiosk.ui.screen.KioskScreen` and sets `screen_name`;
dropping a new file pair in here is all it takes for the app to build it and for a flow to
`ask` for it by name.
"""
