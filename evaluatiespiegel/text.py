"""What a person typed, made comparable: the one place codes, names and link secrets are
cleaned before they are looked up or stored (privacy2 item 4).

Text pasted from a chat, a mail or a PDF carries characters nobody sees: a zero-width space
after a join code, a no-break space between first and last name, a byte-order mark at the
start, fullwidth letters from a Japanese or Chinese keyboard. Each made a code "wrong" or a
name a second person. `normalise_typed` removes the difference:

- Unicode NFKC: fullwidth "ＡＢＣ" is "ABC", a no-break space is a space, "ﬁ" is "fi";
- format characters (category Cf: zero-width space and joiners, BOM, directional marks)
  are dropped;
- whitespace runs become one space, none at either end.

Free text (a contribution, a note) is not typed input in this sense: an emoji sequence
needs its zero-width joiner, so this function is for identifiers and names only.
"""

import unicodedata


def normalise_typed(raw: str) -> str:
    """`raw` as NFKC without format characters (Cf), whitespace collapsed and stripped.

    "3BZTTV\\u200b" is "3BZTTV"; "\\ufeffAnne\\u00a0de Vries " is "Anne de Vries";
    "３ＢＺＴＴＶ" is "3BZTTV". Idempotent; never raises for a str.
    """
    text = unicodedata.normalize("NFKC", raw)
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Cf")
    return " ".join(text.split())


def has_invisible_or_wide(raw: str) -> bool:
    """Whether `normalise_typed` would change more than surrounding or repeated whitespace:
    used to redirect a pasted link to its clean address."""
    return normalise_typed(raw) != " ".join(raw.split())


def clean_path(path: str) -> str:
    """A URL path as pasted, without what a chat or mail added: NFKC, no format characters,
    no whitespace at the end. Whitespace inside stays (no address of this app has any, so
    such a path stays a 404 rather than being guessed at)."""
    text = unicodedata.normalize("NFKC", path)
    return "".join(ch for ch in text if unicodedata.category(ch) != "Cf").rstrip()


class PastedPathMiddleware:
    """A link pasted with an invisible tail ("…/p/<token>/\\u200b", a no-break space, a
    fullwidth letter) is sent to its clean address instead of a 404: tokens and codes in
    paths are typed input too, cleaned by the same rule as the forms (normalise_typed)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        path = request.path
        if request.method in ("GET", "HEAD") and not (path.isascii() and " " not in path):
            clean = clean_path(path)
            if clean != path and clean and not any(ch.isspace() for ch in clean):
                from urllib.parse import quote

                from django.http import HttpResponseRedirect

                query = request.META.get("QUERY_STRING", "")
                target = quote(clean, safe="/-_.~") + (f"?{query}" if query else "")
                return HttpResponseRedirect(target)
        return self.get_response(request)
