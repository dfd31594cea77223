import pytest

from kiosk.domain.policy import load_policy


@pytest.fixture(scope="session")
def policy():
    return load_policy("chongqing-changshou")
