"""The plan the step strip shows (kiosk/flows/plan.py), as the apply flow declares it:
「第3步/共8步 · 拍照」 for oneself, one more step when a guardian applies for a child."""

from __future__ import annotations

from kiosk.flows.plan import StepKind
from tests.flows import journeys
from tests.flows.conftest import run_flow


def seen_progress(port) -> list[tuple[str, str | None]]:
    return [(s.screen, s.progress.label.zh if s.progress else None) for s in port.steps]


def test_applying_for_myself_is_eight_steps_and_the_photo_is_the_third(rig, services):
    port = run_flow(services, journeys.for_myself("resident") + journeys.FINISH)
    [photo] = port.asked("photo")
    assert photo.progress.label.zh == "第3步/共8步 · 拍照"
    assert photo.progress.label.en == "Step 3 of 8 · Photo"
    assert photo.progress.kind is StepKind.CAMERA
    numbers = [s.progress.number for s in port.steps if s.kind == "ask" and s.progress]
    assert numbers == sorted(numbers) and numbers[-1] == 8


def test_a_guardian_makes_the_plan_one_step_longer_from_the_moment_the_role_is_chosen(rig, services):
    port = run_flow(services, journeys.for_my_child("mother", "minor") + journeys.FINISH)
    seen = seen_progress(port)
    assert seen[0] == ("choose", "第1步/共8步 · 给谁办")  # before the branch: eight
    assert ("wait", "第2步/共9步 · 监护人证件") in seen  # the guardian's ID card being read
    assert ("choose", "第3步/共9步 · 孩子的证件") in seen
    assert ("photo", "第4步/共9步 · 拍照") in seen


def test_the_result_and_the_waits_after_the_plan_carry_no_step(rig, services):
    port = run_flow(services, journeys.for_myself("resident") + journeys.FINISH)
    assert port.last("done").progress is None
    assert port.progress is None


# --- the other walked services declare their plans too ------------------------------------


def labels(steps, subject) -> list[str]:
    from kiosk.flows.plan import progress_at

    shown = [progress_at(steps, index, subject) for index in range(len(steps))]
    return [p.label.zh for p in shown if p is not None]


def test_a_replacement_asks_about_the_old_card_unless_it_is_lost():
    from kiosk.domain.application import Role
    from kiosk.domain.replacement import Reason
    from kiosk.flows import replace_card

    damaged = replace_card.Replacement(service="replace", reason=Reason.DAMAGED)
    damaged.role = Role.SELF
    assert labels(replace_card.STEPS, damaged)[3] == "第4步/共10步 · 旧卡"
    lost = replace_card.Replacement(service="reissue", reason=Reason.LOST)
    lost.role = Role.SELF
    assert "旧卡" not in "".join(labels(replace_card.STEPS, lost))
    assert labels(replace_card.STEPS, lost)[-1] == "第9步/共9步 · 签名"


def test_a_change_of_contact_data_and_an_employer_batch_have_plans():
    from kiosk.flows import change_contact, employer_batch

    assert labels(change_contact.STEPS, None)[-1] == "第7步/共7步 · 签名"
    batch = labels(employer_batch.STEPS, None)
    assert batch[0] == "第1步/共6步 · 插入U盘" and len(batch) == 6  # copying and checking are waits, not steps
