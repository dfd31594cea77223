from tests.centre.fixtures import centre, local_centre  # noqa: F401  (the centre simulator, mutual TLS)
