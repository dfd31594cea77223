"""Every fixed phrase the kiosk shell shows, Chinese first, in plain words.

Screens import them in their .kv files (`#:import T kiosk.ui.texts`), so no visible
string is typed into a layout where it could miss its translation.
"""

from kiosk.domain import glossary
from kiosk.i18n import bi

SERVICE_NAME = bi("社会保障卡自助服务", "Social Security Card Self-Service")
TOUCH_TO_START = bi("请触摸屏幕开始", "Touch the screen to start")
CHOOSE_SERVICE = bi("请选择要办理的业务", "Please choose a service")
CHOOSE_IN_GROUP = bi("请选择", "Please choose")
SWITCH_LANGUAGE = bi("English", "中文")  # shows the language you switch TO
HOME = glossary.HOME
BACK = glossary.BACK
BACK_TO_START = glossary.BACK_TO_START
AT_WINDOW_BADGE = bi("到窗口办理", "At the window")

COMING_TITLE = bi("本机即将开通此业务", "Coming soon to this kiosk")
COMING_BODY = bi(
    "这台自助机暂时还不能办理这项业务。请到服务窗口办理。",
    "This kiosk cannot do this yet. Please go to the service window.",
)
WINDOW_TITLE = bi("请到服务窗口办理", "Please go to the service window")
WINDOW_BODY = bi(
    "这项业务需要工作人员当面办理，自助机不能办理。",
    "Staff must do this with you in person. This kiosk cannot do it.",
)
FAILED_TITLE = bi("出了点问题", "Something went wrong")
FAILED_BODY = bi(
    "没有办成，您的资料没有保存。请重新开始，或到服务窗口办理。",
    "It did not work, and nothing was saved. Please start again or go to the service window.",
)
WHAT_TO_BRING = bi("请带上", "Please bring")
HOTLINE = bi("咨询电话：{hotline}", "Help line: {hotline}")

IDLE_COUNTDOWN = bi("还有 {seconds} 秒返回首页", "Returning to the start in {seconds} s")
IDLE_QUESTION = bi("您还在办理吗？", "Are you still there?")
CONTINUE = bi("继续办理", "Continue")
IDLE_CLEARS = bi("已填内容会清除", "What you entered will be cleared")
# The top bar's small countdown in the last minute (kiosk.ui.app, [idle] countdown_s).
IDLE_TOP_BAR = bi("还剩{seconds}秒", "{seconds} s left")

# The top bar's help buttons (issue 13): the voice again, and a person.
SAY_AGAIN = bi("再听一遍", "Say it again")
CALL_STAFF = bi("呼叫工作人员", "Call staff")
