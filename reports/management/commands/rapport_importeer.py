from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from reports.models import ReportKind
from reports.outline import outline_for
from reports.outline_file import (
    MAX_FILE_BYTES,
    OutlineFileError,
    file_read,
    outline_import_apply,
    plan_changes,
)
from sessions.models import Evaluation


class Command(BaseCommand):
    help = (
        "Vervangt de opzet van een rapport door die uit een Markdown-bestand (.md) of een "
        "Word-document (.docx). Toont eerst wat er verandert; pas met --ja wordt het toegepast."
    )

    def add_arguments(self, parser):
        parser.add_argument("evaluation", help="De korte naam (slug) van de evaluatie.")
        parser.add_argument("file", help="Het .md- of .docx-bestand.")
        parser.add_argument(
            "--rapport",
            choices=ReportKind.values,
            default=ReportKind.EINDRAPPORT,
            help="Welk rapport (standaard: eindrapport).",
        )
        parser.add_argument(
            "--ja", action="store_true", help="De getoonde wijzigingen echt toepassen."
        )

    def handle(self, *args, evaluation: str, file: str, rapport: str, ja: bool, **options):
        found = Evaluation.objects.filter(slug=evaluation).first()
        if found is None:
            known = ", ".join(Evaluation.objects.values_list("slug", flat=True)) or "geen"
            raise CommandError(f"Geen evaluatie met korte naam '{evaluation}'. Bekend: {known}.")
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"Het bestand {file} bestaat niet.")
        # Never more than the limit in memory: a larger file is refused by file_read.
        with path.open("rb") as handle:
            data = handle.read(max(MAX_FILE_BYTES, _word_limit()) + 1)
        outline = outline_for(found, rapport)
        try:
            plan = file_read(data, path.name, outline)
        except OutlineFileError as error:
            raise CommandError(
                "Niet ingelezen, er is niets veranderd.\n" + "\n".join(error.messages)
            ) from error
        changes = plan_changes(outline, plan)
        for change in changes:
            self.stdout.write(f"{change.op} {change.summary}")
            for line in change.detail:
                self.stdout.write(f"      {line}")
        for note in plan.notes:
            self.stdout.write(f"! {note}")
        added = sum(c.op == "+" for c in changes)
        removed = sum(c.op == "-" for c in changes)
        if not ja:
            self.stdout.write(
                ngettext("%(n)s blok erbij", "%(n)s blokken erbij", added) % {"n": added}
                + ", "
                + ngettext("%(n)s eraf", "%(n)s eraf", removed) % {"n": removed}
                + ". "
                + _("Er is nog niets veranderd: voeg --ja toe om dit toe te passen.")
            )
            return
        count = outline_import_apply(outline=outline, plan=plan)
        done = ngettext(
            "De opzet van het %(report)s is vervangen: %(n)s blok.",
            "De opzet van het %(report)s is vervangen: %(n)s blokken.",
            count,
        ) % {"report": rapport, "n": count}
        self.stdout.write(self.style.SUCCESS(done))


def _word_limit() -> int:
    from reports.outline_word import MAX_DOCX_BYTES

    return MAX_DOCX_BYTES
