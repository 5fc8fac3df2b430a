"""URL path converters shared by every urls.py."""

from django.urls import register_converter


class TokenConverter:
    """The secret of a personal or projector link: URL-safe base64 (what
    generate_participant_token() makes), at most 64 characters like the columns that hold it.

    Anything else is not a link the app ever gave, so it is a 404 from the resolver and never
    reaches the database (a NUL in the path was a 500 on PostgreSQL).
    """

    regex = "[A-Za-z0-9_-]{1,64}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(TokenConverter, "token")
