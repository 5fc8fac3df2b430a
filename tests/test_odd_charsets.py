"""A body in a charset that is not ASCII-compatible is refused before anything reads it."""

import pytest

from evaluatiespiegel.errors import _ascii_compatible

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("charset", ["utf-16", "utf-32", "utf-16-le"])
def test_a_form_in_a_wide_charset_gets_our_400_also_with_debug_on(client, settings, charset):
    # Under make run (DEBUG on) Django's debug page itself crashed on such a body: a 500.
    settings.DEBUG = True
    response = client.post(
        "/doe-mee/",
        data="code=ABC123",  # the test client encodes it in the declared charset
        content_type=f"application/x-www-form-urlencoded; charset={charset}",
    )
    assert response.status_code == 400
    assert "Dit verzoek begrijpen we niet" in response.content.decode()


@pytest.mark.parametrize(
    ("charset", "compatible"),
    [
        ("latin-1", True),
        ("iso-8859-15", True),
        ("utf-8", True),
        (None, True),
        ("bestaat-niet", True),
        ("utf-16", False),
        ("utf-32-be", False),
    ],
)
def test_only_charsets_that_break_ascii_are_refused_up_front(charset, compatible):
    assert _ascii_compatible(charset) is compatible
