from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from sessions.models import Evaluation


class ReportCommand(BaseCommand):
    """A PDF of one evaluation, written to a file: `manage.py <command> <slug> -o file.pdf`."""

    default_name = "rapport"

    def add_arguments(self, parser):
        parser.add_argument("evaluation", help="De korte naam (slug) van de evaluatie.")
        parser.add_argument("-o", "--output", help="Het PDF-bestand om te schrijven.")

    def render(self, evaluation: Evaluation) -> bytes:
        raise NotImplementedError

    def handle(self, *args, evaluation: str, output: str | None, **options):
        found = Evaluation.objects.filter(slug=evaluation).first()
        if found is None:
            known = ", ".join(Evaluation.objects.values_list("slug", flat=True)) or "geen"
            raise CommandError(f"Geen evaluatie met korte naam '{evaluation}'. Bekend: {known}.")
        path = Path(output or f"{self.default_name}-{found.slug}.pdf")
        if path.parent and not path.parent.exists():
            raise CommandError(f"De map {path.parent} bestaat niet.")
        pdf = self.render(found)
        path.write_bytes(pdf)
        self.stdout.write(self.style.SUCCESS(f"{path} geschreven ({len(pdf) // 1024} kB)."))
