"""The kiosk shell: the Kivy app, its window, theme, idle timeout, languages and the screen contract.

Importing this package does not import Kivy: `idle` is plain Python that tests use
headless; only `app` and the modules it loads need a display. The resident's `Session`
lives in `kiosk.flows.session`, below the shell, because flows share it.
"""
