"""The kiosk shell: the Kivy app, its window, theme, session, idle timeout and languages.

Importing this package does not import Kivy: `session` and `idle` are plain Python that
flows and tests use headless; only `app` and the modules it loads need a display.
"""
