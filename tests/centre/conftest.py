from tests.centre.fixtures import centre, local_centre  # noqa: F401  (the real centre simulator over HTTP)
