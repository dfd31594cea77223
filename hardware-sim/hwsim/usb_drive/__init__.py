"""The removable-drive simulator: folders and image files presented as a FAT drive."""

from hwsim.usb_drive.simulator import NAME, UsbDriveSimulator

__all__ = ["NAME", "UsbDriveSimulator"]
