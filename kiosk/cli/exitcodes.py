"""Exit codes of `kiosk …` commands, the same for every command so scripts can rely on them."""

OK = 0
FAILED = 1  # the thing checked is bad: a forged voucher, a config with mistakes
USAGE = 2  # wrong arguments (argparse uses 2 as well)
NO_MEDIA = 3  # no card on the reader, no paper in the printer
NO_DEVICE = 4  # the device is not there or not answering
DEVICE_ERROR = 5  # the device answered with an error, or with bytes we cannot parse
OFFLINE = 6  # the card centre cannot be reached
INTERRUPTED = 130
