from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from reports import builder
from reports.outline_file import report_markdown
from sessions.models import Evaluation

# The file's extension chooses the format: extension -> renderer(kind, evaluation) -> bytes.
# Every format is made from the same outline and data snapshot (reports/builder.py); .md is
# the report's outline itself, which `rapport_importeer` reads back (reports/outline_file.py).
FORMATS = {
    ".pdf": builder.report_pdf,
    ".docx": builder.report_docx,
    ".md": report_markdown,
}


class ReportCommand(BaseCommand):
    """One report of one evaluation, written to a file: `manage.py <command> <slug> -o file.pdf`
    (or .docx, or .md for the outline: the extension chooses the format)."""

    default_name = "rapport"
    kind = ""

    def add_arguments(self, parser):
        parser.add_argument("evaluation", help="De korte naam (slug) van de evaluatie.")
        parser.add_argument(
            "-o",
            "--output",
            help="Het bestand om te schrijven; de extensie kiest het formaat: "
            + ", ".join(FORMATS)
            + " (standaard .pdf; .md is de opzet van het rapport).",
        )

    def handle(self, *args, evaluation: str, output: str | None, **options):
        found = Evaluation.objects.filter(slug=evaluation).first()
        if found is None:
            known = ", ".join(Evaluation.objects.values_list("slug", flat=True)) or "geen"
            raise CommandError(f"Geen evaluatie met korte naam '{evaluation}'. Bekend: {known}.")
        path = Path(output or f"{self.default_name}-{found.slug}.pdf")
        render = FORMATS.get(path.suffix.lower())
        if render is None:
            shown = path.suffix or "geen extensie"
            raise CommandError(
                f"Onbekend formaat '{shown}' voor {path.name}: kies een bestand dat eindigt op "
                + " of ".join(FORMATS)
                + "."
            )
        if path.parent and not path.parent.exists():
            raise CommandError(f"De map {path.parent} bestaat niet.")
        content = render(self.kind, found)
        path.write_bytes(content)
        self.stdout.write(self.style.SUCCESS(f"{path} geschreven ({len(content) // 1024} kB)."))
