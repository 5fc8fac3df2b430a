import pytest


@pytest.fixture(autouse=True)
def _close_every_browser_context_after_the_test(request):
    """A page left open keeps polling the live server after its test: with SQLite's shared
    in-memory test database that locked tables for the next tests (and their data was gone,
    so the polls answered 500). Whatever a test opened is closed when it ends."""
    yield
    if "browser" in request.fixturenames:
        for context in list(request.getfixturevalue("browser").contexts):
            context.close()
