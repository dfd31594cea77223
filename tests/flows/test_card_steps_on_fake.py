"""The card steps flows share, on the in-process fake card reader: no pcscd, no simulator."""

from kiosk.drivers.card.fake import FakeCard, FakeCardReader

PIN = "135790"


def test_the_card_steps_of_the_flows_run_on_the_fake():
    """What a flow test with the fake looks like: no pcscd, no simulator process."""
    import asyncio
    from types import SimpleNamespace

    from kiosk.flows import card_in_reader, pin_entry
    from kiosk.flows.scripted import ScriptedPort
    from kiosk.flows.steps import RETRY

    reader = FakeCardReader()
    reader.insert(FakeCard(name="王芳", pin=PIN))
    services = SimpleNamespace(card_reader=reader, timeouts=SimpleNamespace(card_wait_s=1.0))
    script = [("pin_pad", lambda _: bytearray(b"000000")), ("notice", RETRY), ("pin_pad", lambda _: bytearray(PIN.encode()))]
    port = ScriptedPort(script, services=services, service="pin_change")

    async def steps():
        card = await card_in_reader.insert_card(port)
        return card, await pin_entry.verified_pin(port)

    card, entered = asyncio.run(steps())
    assert card.name == "王芳" and isinstance(entered, pin_entry.EnteredPin)
    assert "5" in port.asked("notice")[0].text()  # the tries left, as the real card says them
    assert reader.operations == ["wait_for_card", "read_basic", "pin_status", "verify_pin", "verify_pin"]
    assert port.remaining == 0
