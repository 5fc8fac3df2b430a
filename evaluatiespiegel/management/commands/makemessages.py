"""`makemessages` that also finds the strings marked with our own alias of gettext_lazy.

Several modules need both gettext (as `_`) and gettext_lazy; they import the lazy one as
`_lazy`. xgettext only knows Django's own names, so every `_lazy("…")` string was silently left
out of the catalogue and stayed Dutch in English mode (the planner's field names, the
projector's view tabs). tests/test_translations.py checks that every alias is one listed here.
"""

from django.core.management.commands import makemessages

#: The names under which modules may import Django's translation functions, beyond Django's
#: own, with their xgettext keyword specs.
ALIASES = {"_lazy": "_lazy"}


class Command(makemessages.Command):
    xgettext_options = makemessages.Command.xgettext_options + [
        f"--keyword={spec}" for spec in ALIASES.values()
    ]
