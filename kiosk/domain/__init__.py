"""The business rules: pure Python, no Kivy, no devices, no I/O beyond reading data files."""
