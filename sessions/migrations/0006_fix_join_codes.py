"""Give every evaluation a join code that participants can type (issue 9.10).

The admin used to accept codes like TESTDYK (7 characters) or ones with a 0 or an O, which
the join form never matches. A code that only needs normalising (spaces, hyphens, lower case)
is normalised; any other gets a new random code. The old and new codes are printed.
"""

import re
import secrets
import sys

from django.db import migrations

# Copied, not imported: a migration must keep meaning what it meant when it was written.
ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
LENGTH = 6
VALID = re.compile(rf"^[{ALPHABET}]{{{LENGTH}}}$")


def _new_code(taken: set[str]) -> str:
    while True:
        code = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
        if code not in taken:
            return code


def fix_join_codes(apps, schema_editor):
    Evaluation = apps.get_model("workshop", "Evaluation")
    rows = list(Evaluation.objects.order_by("pk").values_list("pk", "slug", "join_code"))
    taken = {code for _pk, _slug, code in rows if VALID.fullmatch(code)}
    for pk, slug, code in rows:
        if VALID.fullmatch(code):
            continue
        fixed = "".join(code.split()).replace("-", "").upper()
        if not VALID.fullmatch(fixed) or fixed in taken:
            fixed = _new_code(taken)
        taken.add(fixed)
        Evaluation.objects.filter(pk=pk).update(join_code=fixed)
        sys.stdout.write(f"\n  Deelnamecode van {slug}: {code!r} is nu {fixed}")


class Migration(migrations.Migration):
    dependencies = [
        ("workshop", "0005_min_group_size"),
    ]

    operations = [
        migrations.RunPython(fix_join_codes, migrations.RunPython.noop, elidable=False),
    ]
