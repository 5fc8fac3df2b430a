import json
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from evaluatiespiegel.transfer import evaluation_import


class Command(BaseCommand):
    help = "Leest een evaluatie uit een JSON-exportbestand. Alles of niets."

    def add_arguments(self, parser):
        parser.add_argument("file", help="Het JSON-bestand van export_evaluation.")

    def handle(self, *args, file: str, **options):
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
            evaluation = evaluation_import(data)
        except ValidationError as error:
            raise CommandError(
                "Niet geïmporteerd, er is niets veranderd. " + " ".join(error.messages)
            ) from error
        self.stdout.write(
            self.style.SUCCESS(f"Evaluatie '{evaluation.title}' ({evaluation.slug}) geïmporteerd.")
        )
