"""The kiosk's one glossary: each thing a resident is told about has one name, on every screen,
in every spoken prompt and on the printed voucher.

A resident who reads 「凭证号」 on the screen and 「流水号」 on the paper, or is told to press
「为孩子办理」 where the button says 「给孩子办」, is lost. Each `Term` is the word to use and the
variants it replaces (regular expressions, Chinese and English); code takes the word from
here, and tests/i18n/test_glossary.py fails, naming file and line, wherever a resident-visible
string in kiosk/ still says a variant. The menu's words for each service (the residents' own,
not the procedure's) are here too: errors that say which button to press quote them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kiosk.i18n import Bilingual, bi


@dataclass(frozen=True)
class Term:
    word: Bilingual
    not_zh: tuple[str, ...] = ()  # regular expressions of the variants this word replaces
    not_en: tuple[str, ...] = ()
    why: str = ""

    def variant_in(self, text: str, language: str) -> str | None:
        """The first variant `text` says instead of this word, or None."""
        for pattern in self.not_zh if language == "zh" else self.not_en:
            found = re.search(pattern, text)
            if found:
                return found.group(0)
        return None


# --- the words --------------------------------------------------------------------------

SERIAL = bi("凭证号", "Voucher number")  # the number a resident tells staff; printed, shown and spoken alike
BACK = bi("上一步", "Back")  # the step before, inside a service
HOME = bi("首页", "Start")  # the menu; a flow's end. English "Start": the word on the button
BACK_TO_START = bi("返回首页", "Back to start")
TRY_AGAIN = bi("再试一次", "Try again")
ID_READER_AREA = bi("读卡区", "the ID card reader")  # where an ID card is laid flat
CARD_SLOT = bi("插卡口", "the card slot")  # where the social security card goes in
FOR_MY_CHILD = bi("给孩子办", "For my child")
FOR_MYSELF = bi("给自己办", "For myself")
FOR_ANOTHER_ADULT = bi("代别人办", "For another adult")
MY_OWN_CARD = bi("我自己的卡", "My own card")
STAFF = bi("工作人员", "staff")
SERVICE_WINDOW = bi("服务窗口", "service window")
COLLECT = bi("领卡", "Collect")  # how and where the new card is collected
PIN = bi("密码", "PIN")
RESET_PIN = bi("重置密码", "Reset PIN")  # the service's name as errors quote it
APPLY = bi("申领社保卡", "Apply for a card")

TERMS: dict[str, Term] = {
    "serial": Term(SERIAL, ("流水号", "凭证编号", "受理号", "单号"), (r"[Ss]erial [Nn]o", r"[Ss]erial number", r"[Rr]eference number"),
                   "the voucher's number, one name on screen, voice and paper"),
    "back": Term(BACK, ("返回上一步", r"返回(?!首页)"), (r"[Gg]o back to the previous", r"\bPrevious\b"),
                 "the button is 上一步: messages ask for 上一步, not 返回"),
    "home": Term(HOME, ("主页", "主菜单", "主界面"), (r"\b[Hh]ome\b(?! address)", r"[Mm]ain menu"), "the top bar's button is 首页 / Start"),
    "try_again": Term(TRY_AGAIN, ("重试", "重新尝试"), (r"\bRetry\b",), "the button is 再试一次"),
    "id_reader_area": Term(ID_READER_AREA, ("感应区", "刷卡区", "识读区", "读证区"), (r"ID reader\b", r"reader area"),
                           "an ID card is laid on the 读卡区"),
    "card_slot": Term(CARD_SLOT, ("卡槽", "插卡处", "读卡口"), (r"card reader slot",), "a social security card goes into the 插卡口"),
    "for_my_child": Term(FOR_MY_CHILD, ("为孩子办理", "为子女办理", "给子女办", "替孩子办"), (r"[Ff]or your child\b", r"[Oo]n behalf of a child"),
                         "the button is 给孩子办"),
    "for_another_adult": Term(FOR_ANOTHER_ADULT, ("代他人办理", "代别人办理", "为他人办理", "代他人办"), (r"[Ff]or someone else\b(?!'s card)",),
                              "the button is 代别人办"),
    "staff": Term(STAFF, ("柜员", "营业员", "服务人员", "工作员"), (r"\b[Cc]lerk", r"\b[Oo]perator\b"), "one word for the people who help"),
    "service_window": Term(SERVICE_WINDOW, ("柜台", "人工窗口", "人工柜台", "服务台"), (r"\b[Cc]ounter\b", r"\b[Dd]esk\b"),
                           "the window a resident is sent to"),
    "collect": Term(COLLECT, ("取卡方式", "拿卡"), (r"[Pp]ick ?up\b", r"[Pp]ick-up\b"), "a new card is collected, not picked up"),
    "sscard": Term(bi("社保卡", "social security card"), (r"插入社会保障卡", r"社保IC卡", r"社会保障IC卡"), (r"\bSSC\b", r"social insurance card"),
                   "a resident says 社保卡; the full name stays only in titles and signed statements"),
    "pin": Term(PIN, ("口令",), (r"[Cc]ard'?s? password", r"\bPIN code\b"), "the card's 密码 is a PIN in English"),
}


# --- the menu in the residents' words (kiosk/screens/group.py, home.py) --------------------

SERVICE_WORDS: dict[str, Bilingual] = {
    "apply": APPLY,
    "reissue": bi("卡丢了，补办新卡", "Card lost: get a new one"),
    "replace": bi("卡坏了，换新卡", "Card damaged: get a new one"),
    "upgrade": bi("换成第三代社保卡", "Change to a 3rd-generation card"),
    "activate": bi("领到新卡后启用", "Got a new card: start using it"),
    "pin_change": bi("修改密码", "Change my PIN"),
    "pin_reset": bi("忘了密码，重置密码", "Forgot my PIN: reset it"),
    "loss_report": bi("卡丢了，马上挂失", "Card lost: block it now"),
    "loss_cancel": bi("找回卡了，取消挂失", "Found my card: unblock it"),
    "status_query": bi("查办卡进度", "Where is my card?"),
    "info_change": bi("改地址或手机号", "Change address or phone"),
    "batch_new": bi("单位批量申领", "Employer: batch applications"),
    "batch_replace": bi("单位批量补换", "Employer: batch reissue or replacement"),
    "batch_to_single": bi("单位批量办的卡改为个人办", "From an employer's batch to my own application"),
}


def menu_words(service_code: str, official: Bilingual) -> Bilingual:
    """What the menu calls a service: the residents' words, else its official name."""
    return SERVICE_WORDS.get(service_code, official)
