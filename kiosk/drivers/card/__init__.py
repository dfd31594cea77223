"""The social security card in the reader, over PC/SC (pyscard; pcsc.py is the only module
that talks to pcscd).

  reader.py       SocialSecurityCardReader: read_basic, verify/change/reload PIN, wait_for_card, status
  connection.py   the reader side: pcscd, the connected card, waiting for a card, status
  application.py  the SSSE application's commands: SELECT, READ RECORD, EXTERNAL AUTHENTICATE, PIN
  monitor.py      CardMonitor: card inserted / removed events, reader status as it changes
  records.py      the SSSE application's EF05/EF06 fields, READ RECORD forms, CardData
  messages.py     what to tell the resident when an operation fails (Bilingual)
  auth.py         EXTERNAL AUTHENTICATE on 3.00 cards needs a PSAM (Authenticator)
  apdu.py, session.py, pin.py, errors.py, pcsc.py: the plumbing
"""

from kiosk.drivers.card.messages import resident_message
from kiosk.drivers.card.monitor import CardEvent, CardEventKind, CardMonitor
from kiosk.drivers.card.pin import BadPin, Pin
from kiosk.drivers.card.reader import PinStatus, SocialSecurityCardReader
from kiosk.drivers.card.records import CardData, RecordForm

__all__ = [
    "BadPin",
    "CardData",
    "CardEvent",
    "CardEventKind",
    "CardMonitor",
    "Pin",
    "PinStatus",
    "RecordForm",
    "SocialSecurityCardReader",
    "resident_message",
]
