"""The camera: frames from a V4L2 device, a file, a network stream or the simulator,
read on a thread of its own so a stalled camera never blocks a screen."""

from kiosk.drivers.camera.camera import Camera, CapturedFrame
from kiosk.drivers.camera.sources import CameraUrlError, describe_url

__all__ = ["Camera", "CameraUrlError", "CapturedFrame", "describe_url"]
