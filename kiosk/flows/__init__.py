"""One flow per service, reading top to bottom like the procedure in seed 003.

Flows own the business: identify, check, capture, confirm, submit, print. They never import
Kivy; they talk to the resident through `kiosk.flows.port.Port`.
"""
