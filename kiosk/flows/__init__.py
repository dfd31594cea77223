"""The services as flows: each reads top to bottom like the procedure in seed 003.

A flow never imports Kivy; it talks to the resident through a `FlowPort` (`port.py`) and
is found by its service code in `registry.py`.
"""
