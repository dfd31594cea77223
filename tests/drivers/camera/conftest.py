import pytest

from hwsim.camera.server import CameraSimulator


@pytest.fixture
def simulator():
    """The camera simulator in this process, serving HTTP MJPEG, registered as sim://camera."""
    sim = CameraSimulator("white", fps=20).start()
    yield sim
    sim.stop()
