"""The social security card in the reader, over PC/SC (pyscard; pcsc.py is the only module
that talks to pcscd).

  interface.py    CardReader: the Protocol flows and the CLI use (and PinStatus)
  reader.py       SocialSecurityCardReader: the real CardReader over PC/SC
  fake.py         FakeCardReader, FakeCard: an in-process CardReader for flow tests (no pcscd)
  connection.py   the reader side: pcscd, the connected card, waiting for a card, status
  application.py  the SSSE application's commands: SELECT, READ RECORD, EXTERNAL AUTHENTICATE, PIN
  monitor.py      CardMonitor: card inserted / removed events, reader status as it changes
  records.py      the SSSE application's EF05/EF06 fields, READ RECORD forms, CardData
  staff.py        the outlet staff application: staff id and outlet (StaffCredential)
  messages.py     what to tell the resident when an operation fails (Bilingual)
  auth.py         EXTERNAL AUTHENTICATE on 3.00 cards needs a PSAM (Authenticator)
  errors.py       every failure a card's answer can mean, shared by the real driver and the fake
  apdu.py, session.py, deadline.py, pin.py, pcsc.py: the plumbing
"""

from kiosk.drivers.card.interface import CardReader, PinStatus
from kiosk.drivers.card.messages import resident_message
from kiosk.drivers.card.monitor import CardEvent, CardEventKind, CardMonitor
from kiosk.drivers.card.pin import BadPin, Pin
from kiosk.drivers.card.reader import SocialSecurityCardReader
from kiosk.drivers.card.records import CardData, RecordForm
from kiosk.drivers.card.staff import StaffCredential, is_not_staff_card

__all__ = [
    "BadPin",
    "CardData",
    "CardEvent",
    "CardEventKind",
    "CardReader",
    "CardMonitor",
    "Pin",
    "PinStatus",
    "RecordForm",
    "SocialSecurityCardReader",
    "StaffCredential",
    "is_not_staff_card",
    "resident_message",
]
