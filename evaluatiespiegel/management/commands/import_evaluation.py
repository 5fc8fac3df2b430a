import json
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from evaluatiespiegel.transfer import evaluation_import


class Command(BaseCommand):
    help = "Leest een evaluatie uit een JSON-exportbestand. Alles of niets."

    def add_arguments(self, parser):
        parser.add_argument("file", help="Het JSON-bestand van export_evaluation.")
        parser.add_argument(
            "--slug",
            help="Een andere korte naam voor de nieuwe evaluatie, bijvoorbeeld als de "
            "evaluatie in het bestand hier al bestaat; dan krijgt ze ook een nieuwe "
            "deelnamecode als die van het bestand al in gebruik is.",
        )

    def handle(self, *args, file: str, slug: str | None = None, **options):
        path = Path(file)
        if not path.exists():
            raise CommandError(f"Het bestand {file} bestaat niet.")
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (ValueError, RecursionError) as error:
            # ValueError covers bad JSON, bad UTF-8 and numbers of thousands of digits;
            # RecursionError a file nested thousands of levels deep.
            raise CommandError(f"Het bestand is geen geldige JSON: {error}") from error
        try:
            evaluation = evaluation_import(data, slug=slug)
        except ValidationError as error:
            hint = (
                " Geef de nieuwe evaluatie een eigen korte naam met --slug."
                if error.code == "slug_taken"
                else ""
            )
            raise CommandError(
                "Niet geïmporteerd, er is niets veranderd. " + " ".join(error.messages) + hint
            ) from error
        self.stdout.write(
            self.style.SUCCESS(f"Evaluatie '{evaluation.title}' ({evaluation.slug}) geïmporteerd.")
        )
