"""The resident ID card reader (GA 467 SAM module on a serial line).

frames: the byte framing; status_words: what SW3 means; documents: the three text
layouts; checks: expiry and number checks; reader: the driver; polling: card
placed / taken away events for the screens; interface: what flows may ask of a reader;
fake: an in-process reader for flow tests.
"""

from kiosk.drivers.id_reader.polling import CardEvent, CardPoller
from kiosk.drivers.id_reader.reader import CardRead, IdCardReader

__all__ = ["CardEvent", "CardPoller", "CardRead", "IdCardReader"]
