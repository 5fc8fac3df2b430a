import json
import os

from django.core.management.base import BaseCommand, CommandError

from evaluatiespiegel.transfer import evaluation_export
from sessions.models import Evaluation


class Command(BaseCommand):
    help = "Schrijft één hele evaluatie als JSON (reservekopie of verhuizing)."

    def add_arguments(self, parser):
        parser.add_argument("evaluation", help="De korte naam (slug) van de evaluatie.")
        parser.add_argument("-o", "--output", help="Het JSON-bestand; zonder: naar de uitvoer.")

    def handle(self, *args, evaluation: str, output: str | None, **options):
        found = Evaluation.objects.filter(slug=evaluation).first()
        if found is None:
            raise CommandError(f"Geen evaluatie met korte naam '{evaluation}'.")
        text = json.dumps(evaluation_export(found), ensure_ascii=False, indent=1, sort_keys=True)
        if output is None:
            self.stdout.write(text)
            return
        # The file holds names: readable by its owner only, like the database (0600), also
        # when it replaces an older file that was readable by more.
        descriptor = os.open(output, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        os.fchmod(descriptor, 0o600)
        with os.fdopen(descriptor, "w", encoding="utf-8") as file:
            file.write(text + "\n")
        self.stdout.write(self.style.SUCCESS(f"{output} geschreven."))
