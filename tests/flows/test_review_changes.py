"""「修改」 on the review: the resident touches it beside a row, the step that asked for that
row comes back, and then the review again with the new answer, for every service that has a
review with something to change. On the in-process fakes (tests/flows/fake_rig.py) with a
camera that sees the simulator's well-placed scene."""

from __future__ import annotations

import dataclasses

import pytest

from kiosk.drivers.camera.fake import FakeCamera
from kiosk.flows import apply_card, change_contact, on_behalf, replace_card
from kiosk.flows.context import KioskServices
from kiosk.flows.review import ROLE_LABELS
from kiosk.flows.steps import BACK, CONFIRM, HOME, OK, Change
from kiosk.i18n import Bilingual
from tests.flows.card_rig import Pins, run_card_flow, with_cards
from tests.flows.conftest import FAST
from tests.flows.fake_rig import rig  # noqa: F401
from tests.flows.journeys import BANK, PHONE, signature_png, take_photo
from tests.photo.scenes import camera_frame

LABELS = apply_card.LABELS
SIGN_AND_DONE = [("sign", signature_png()), ("done", OK)]


@pytest.fixture
def services(rig, config):  # noqa: F811
    devices = dataclasses.replace(rig.devices(), camera=lambda: FakeCamera(camera_frame("white")))
    built = KioskServices.build(config, timeouts=FAST, devices=devices)
    yield built
    built.close()


def change(label: Bilingual):
    return ("review", Change(label))


def rows_of(review_step) -> dict[str, object]:
    return {label.en: value for label, value in review_step.params["rows"]}


def apply_for_myself(*review_answers) -> list:
    return [("choose", "self"), ("choose", "reader"), ("photo", take_photo), ("choose", BANK), ("choose", "on_site"),
            ("keypad", PHONE), *review_answers]  # fmt: skip


def test_apply_change_the_phone_then_back_to_the_review(rig, services):  # noqa: F811
    with_cards(rig, id_card="resident")
    script = apply_for_myself(change(LABELS["phone"]), ("keypad", "13900001111"), ("review", CONFIRM), *SIGN_AND_DONE)
    port = run_card_flow(services, "apply", script)
    first, second = port.asked("review")
    assert rows_of(first)["Mobile"] == "138****5678" and rows_of(second)["Mobile"] == "139****1111"
    assert port.screens().count("keypad") == 2  # only the phone was asked again


def test_apply_change_the_bank_asks_only_the_bank_again(rig, services):  # noqa: F811
    with_cards(rig, id_card="resident")
    script = apply_for_myself(change(LABELS["bank"]), ("choose", "ccb"), ("review", CONFIRM), *SIGN_AND_DONE)
    port = run_card_flow(services, "apply", script)
    first, second = port.asked("review")
    assert rows_of(first)["Bank"] != rows_of(second)["Bank"]
    assert rows_of(second)["Bank"] == services.policy.bank("ccb").name


def test_apply_back_on_the_changed_step_returns_to_the_review_unchanged(rig, services):  # noqa: F811
    with_cards(rig, id_card="resident")
    script = apply_for_myself(change(LABELS["pickup"]), ("choose", BACK), ("review", CONFIRM), *SIGN_AND_DONE)
    port = run_card_flow(services, "apply", script)
    first, second = port.asked("review")
    assert first.params["rows"] == second.params["rows"]


def test_apply_retake_the_photo_from_the_review_shows_the_new_thumbnail(rig, services):  # noqa: F811
    with_cards(rig, id_card="resident")
    shown = []

    def look_and_confirm(step):
        shown.append(bytes(rows_of(step)["Photo"]))
        return CONFIRM

    script = apply_for_myself(change(LABELS["photo"]), ("photo", take_photo), ("review", look_and_confirm), *SIGN_AND_DONE)
    port = run_card_flow(services, "apply", script)
    assert port.screens().count("photo") == 2
    assert shown[0][:2] == b"\xff\xd8"  # the JPEG itself, shown as a thumbnail
    assert not any(rows_of(port.last("review"))["Photo"])  # and wiped with the application at the end


def test_apply_home_on_the_changed_step_ends_the_flow(rig, services):  # noqa: F811
    with_cards(rig, id_card="resident")
    port = run_card_flow(services, "apply", apply_for_myself(change(LABELS["phone"]), ("keypad", HOME)))
    assert port.screens()[-1] == "keypad" and not services.outbox.items()


def test_apply_offers_change_on_what_the_resident_gave_not_on_the_service_or_role(rig, services):  # noqa: F811
    with_cards(rig, id_card="resident")
    port = run_card_flow(services, "apply", apply_for_myself(("review", CONFIRM), *SIGN_AND_DONE))
    review = port.last("review")
    offered = set(review.params["changes"])
    holder = ROLE_LABELS[(apply_card.Role.SELF, apply_card.Position.APPLICANT)]
    assert offered == {holder, LABELS["document"], LABELS["photo"], LABELS["bank"], LABELS["pickup"], LABELS["phone"]}
    assert "Cardholder (you)" in rows_of(review)
    values = rows_of(review)
    assert isinstance(values["Service"], Bilingual) and isinstance(values["Bank"], Bilingual)  # one language on screen


def test_replace_change_the_phone_then_back_to_the_review(rig, services):  # noqa: F811
    with_cards(rig, "upgrade-gen2")
    keep_bank = ("choose", lambda step: step.params["options"][0].code)
    script = [("choose", "self"), ("choose", replace_card.BY_CARD), ("pin_pad", Pins()("123456")), ("choose", "new_generation"),
              ("choose", "on_record"), keep_bank, ("choose", "on_site"), ("keypad", PHONE),
              change(LABELS["phone"]), ("keypad", "13900001111"), ("review", CONFIRM), *SIGN_AND_DONE]  # fmt: skip
    port = run_card_flow(services, "upgrade", script)
    first, second = port.asked("review")
    assert rows_of(first)["Mobile"] == "138****5678" and rows_of(second)["Mobile"] == "139****1111"
    assert set(first.params["changes"]) == set(replace_card.CHANGES)


def test_replace_does_not_offer_change_on_what_the_centre_said(rig, services):  # noqa: F811
    with_cards(rig, "upgrade-gen2")
    keep_bank = ("choose", lambda step: step.params["options"][0].code)
    script = [("choose", "self"), ("choose", replace_card.BY_CARD), ("pin_pad", Pins()("123456")), ("choose", "new_generation"),
              ("choose", "on_record"), keep_bank, ("choose", "on_site"), ("keypad", PHONE),
              change(replace_card.LABELS["fee"]), ("review", CONFIRM), *SIGN_AND_DONE]  # fmt: skip
    port = run_card_flow(services, "upgrade", script)
    assert port.screens().count("review") == 2  # a 修改 the screen never offered just shows the review again


def test_change_contact_change_the_new_phone_then_back_to_the_review(rig, services):  # noqa: F811
    with_cards(rig, id_card="holder-gen3")
    other = "13900001111"
    script = [("choose", on_behalf.OWN), ("choose", "id_card"), ("notice", OK), ("choose", "phone"),
              ("keypad", PHONE), ("keypad", PHONE), change(change_contact.LABELS[change_contact.Detail.PHONE]),
              ("keypad", other), ("keypad", other), ("review", CONFIRM), *SIGN_AND_DONE]  # fmt: skip
    port = run_card_flow(services, "info_change", script)
    first, second = port.asked("review")
    label = change_contact.LABELS[change_contact.Detail.PHONE].en
    assert rows_of(first)[label] == "138****5678" and rows_of(second)[label] == "139****1111"
    assert rig.centre.contacts.listed()[0]["changed"] == ["phone"]


def test_a_typed_name_is_shown_in_full_and_a_name_from_the_chip_masked():
    from kiosk.domain.application import Identity, Source
    from kiosk.domain.documents import DocumentKind
    from kiosk.flows.review import shown_name

    typed = Identity(DocumentKind.PASSPORT, "E12345678", "LI JIANGUO", Source.TYPED, chinese_name="李建国")
    read = Identity(DocumentKind.RESIDENT_ID, "500115198001010011", "王小明", Source.READER)
    assert shown_name(typed) == "LI JIANGUO（李建国）"  # a typo in it can be seen
    assert shown_name(read) == read.masked_name and "小明" not in shown_name(read)
