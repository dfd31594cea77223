"""What the resident is told: one short sentence, Chinese first, for the most important
thing to fix. Directions are the resident's own left and right, not the screen's: the
preview is a mirror, so "your left" is also the way their mirror image moves."""

from __future__ import annotations

from kiosk.i18n import Bilingual

TOO_DARK = Bilingual("光线太暗，请工作人员帮忙开灯", "It is too dark. Please ask staff to turn on the light")
TOO_BRIGHT = Bilingual("光线太亮，请避开强光", "It is too bright. Please move out of the strong light")
FACE_CAMERA = Bilingual("请正对摄像头", "Please face the camera")
ONE_PERSON = Bilingual("请只留一人在镜头前", "Only one person in front of the camera")
COME_CLOSER = Bilingual("请靠近一点", "Please come a little closer")
STEP_BACK = Bilingual("请往后退一点", "Please step back a little")
MOVE_YOUR_LEFT = Bilingual("请往您的左手边挪一点", "Please move a little to your left")
MOVE_YOUR_RIGHT = Bilingual("请往您的右手边挪一点", "Please move a little to your right")
MOVE_LOWER = Bilingual("请把身子放低一点", "Please move a little lower")
MOVE_HIGHER = Bilingual("请坐直或站直一点", "Please sit or stand up straighter")
HOLD_STILL_BLURRED = Bilingual("照片不清楚，请不要动", "The photo is not clear. Please keep still")
WHITE_BACKGROUND = Bilingual("背景不够白，请站在白色背景前", "The background is not white. Please stand in front of the white background")
GOOD = Bilingual("很好，请保持不动", "Good. Please keep still")
