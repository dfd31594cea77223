"""The employer's removable drive (batch packages): udev + a user-space FAT reader, no mount."""

from kiosk.drivers.usb_drive.driver import UsbDrive
from kiosk.drivers.usb_drive.package_copy import DrivePackage

__all__ = ["DrivePackage", "UsbDrive"]
