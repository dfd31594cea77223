"""Chinese text input without Kivy: handwriting (Zinnia), pinyin (libpinyin), and whether the
kiosk font can draw a character. The input screen (kiosk/screens/chinese_input.py) drives
these through the small interfaces in `interface.py`, and so can a test."""
