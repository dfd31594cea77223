"""What the result screen says is finished: 「办好了」 only when nothing is left to do.

A resident told 「办好了」 after an application walks away without the card: the card is
made at the window, collected at an outlet or posted later. So each service says how far
it got (`Finished`), and the result screen leads with the one thing the resident still has
to do, in its largest text.
"""

from __future__ import annotations

from enum import StrEnum

from kiosk.domain.application import ON_SITE, OUTLET, POST
from kiosk.i18n import Bilingual, bi


class Finished(StrEnum):
    DONE = "done"  # nothing left: a PIN changed, a card activated
    SENT = "sent"  # the centre does the rest; nothing for the resident to do but wait
    ONE_MORE_STEP = "one_more_step"  # the resident still has something to do (the window, collecting the card)


TITLES = {
    Finished.DONE: bi("办好了", "All done"),
    Finished.SENT: bi("申请已提交", "Your application is sent"),
    Finished.ONE_MORE_STEP: bi("申请已提交，还差一步", "Application sent: one more step"),
}

TAKE_ID_AND_VOUCHER = bi("请取走身份证和凭证。", "Please take your ID card and the voucher.")

# The next action once a card application is in, by the way the card is collected.
NEXT_BY_PICKUP = {
    ON_SITE: (Finished.ONE_MORE_STEP, bi("请拿凭证到服务窗口，现场制卡", "Take the voucher to the service window: your card is made there")),
    OUTLET: (Finished.ONE_MORE_STEP, bi("卡做好后，带凭证到您选的网点领卡", "When the card is ready, collect it with the voucher at the outlet you chose")),
    POST: (Finished.SENT, bi("卡做好后会寄给您，请留意短信", "The card is posted to you when it is ready: watch for a text message")),
}  # fmt: skip


def after_card_application(pickup_method: str | None) -> tuple[Finished, Bilingual | None]:
    """How far a new-card or replacement application got, and the resident's next action."""
    return NEXT_BY_PICKUP.get(pickup_method, (Finished.ONE_MORE_STEP, None))


def title(finished: Finished) -> Bilingual:
    return TITLES[finished]
