"""The simulated resident ID card reader: a GA 467 SAM module on a pty, with fixture people."""

from hwsim.id_reader.people import Person, load_people
from hwsim.id_reader.simulator import IdReaderSimulator

__all__ = ["IdReaderSimulator", "Person", "load_people"]
