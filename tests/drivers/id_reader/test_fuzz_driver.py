"""Whatever a reader sends back, the driver ends every operation with a Completion in time:
arbitrary replies go through a real pty and pyserial into the real driver."""

import threading
from datetime import date

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hwsim.pty_device import PtyDevice
from kiosk.drivers.id_reader import IdCardReader
from kiosk.drivers.id_reader.frames import PREAMBLE, Reply
from kiosk.drivers.id_reader.reader import card_read_from
from kiosk.drivers.status import Completion, ResultCode

TODAY = date(2026, 11, 23)
READ_OUTCOMES = {ResultCode.SUCCESS, ResultCode.PROTOCOL_ERROR, ResultCode.INVALID_DATA}

read_data = st.one_of(
    st.binary(max_size=1400),
    st.tuples(st.binary(min_size=256, max_size=256), st.binary(max_size=1024)).map(
        lambda t: (256).to_bytes(2, "big") + len(t[1]).to_bytes(2, "big") + t[0] + t[1]
    ),
)
replies = st.one_of(
    st.binary(max_size=64),  # garbage
    st.builds(lambda sw3, data: Reply(0, 0, sw3, data).encode(), st.integers(0, 255), st.binary(max_size=16)),
    st.sampled_from([0x9F, 0x90]).map(lambda sw3: Reply(0, 0, sw3, bytes(4 if sw3 == 0x9F else 8)).encode()),
    read_data.map(lambda data: Reply(0, 0, 0x90, data).encode()),
    st.binary(min_size=1, max_size=40).map(lambda tail: PREAMBLE + tail),  # cut-off frames
)


@settings(max_examples=300, deadline=None)
@given(read_data, st.booleans())
def test_any_read_data_is_a_completion(data, fingerprints):
    done = card_read_from(data, fingerprints, TODAY)
    assert isinstance(done, Completion) and done.code in READ_OUTCOMES


class Responder:
    """Answers each request on the pty with the next scripted bytes."""

    def __init__(self, device: PtyDevice, answers: list[bytes]) -> None:
        self.device, self.answers = device, list(answers)
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self.run, daemon=True)
        self.thread.start()

    def run(self) -> None:
        while not self.stop.is_set():
            received = self.device.read(timeout=0.01)
            for _ in range(received.count(PREAMBLE)):
                if self.answers:
                    self.device.write(self.answers.pop(0))

    def close(self) -> None:
        self.stop.set()
        self.thread.join(1)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(replies, min_size=1, max_size=6), st.booleans())
def test_any_replies_end_in_a_completion(answers, fingerprints):
    device = PtyDevice("fuzz")
    responder = Responder(device, answers)
    reader = IdCardReader(f"serial://{device.link}", command_timeout=0.1, read_timeout=0.1, retries=1)
    try:
        done = reader.read_card(fingerprints=fingerprints)
    finally:
        reader.close()
        responder.close()
        device.close()
    assert isinstance(done, Completion)
    assert done.code is not ResultCode.NO_DEVICE  # the port was there all along
    if done.ok:
        assert done.value.document is not None
