"""What the kiosk prints: the voucher (evidence, with a signed QR code) and the guidance slip
for window-only services, laid out for 80 mm paper and built as ESC/POS bytes for
kiosk.drivers.printer.ReceiptPrinter.print_job."""
