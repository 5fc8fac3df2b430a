from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from reports.printables import printable_html
from reports.rendering import render_pdf
from sessions.models import Evaluation


class PrintableCommand(BaseCommand):
    """A printable of one evaluation as PDF: `manage.py <command> <slug> -o file.pdf`."""

    kind = ""
    default_name = "afdruk"
    site_url = ""

    def add_arguments(self, parser):
        parser.add_argument("evaluation", help="De korte naam (slug) van de evaluatie.")
        parser.add_argument("-o", "--output", help="Het PDF-bestand om te schrijven.")

    def prepare(self, evaluation: Evaluation) -> None:
        """What must exist before the printable is laid out (nothing by default)."""

    def handle(self, *args, evaluation: str, output: str | None, **options):
        found = Evaluation.objects.filter(slug=evaluation).first()
        if found is None:
            known = ", ".join(Evaluation.objects.values_list("slug", flat=True)) or "geen"
            raise CommandError(f"Geen evaluatie met korte naam '{evaluation}'. Bekend: {known}.")
        path = Path(output or f"{self.default_name}-{found.slug}.pdf")
        if path.parent and not path.parent.exists():
            raise CommandError(f"De map {path.parent} bestaat niet.")
        self.prepare(found)
        pdf = render_pdf(printable_html(self.kind, found, site_url=self.site_url))
        path.write_bytes(pdf)
        self.stdout.write(self.style.SUCCESS(f"{path} geschreven ({len(pdf) // 1024} kB)."))
