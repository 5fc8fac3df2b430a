from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from sessions.models import Evaluation, EvaluationMember


class Command(BaseCommand):
    help = "Geeft een bestaande gebruiker toegang tot een evaluatie, als facilitator of analist."

    def add_arguments(self, parser):
        parser.add_argument("evaluation", help="De korte naam (slug) van de evaluatie.")
        parser.add_argument(
            "username", help="De gebruikersnaam (maak die eerst met createsuperuser of in Beheer)."
        )
        parser.add_argument(
            "--rol", choices=[r.value for r in EvaluationMember.Role], default="facilitator"
        )

    def handle(self, *args, evaluation: str, username: str, rol: str, **options):
        found = Evaluation.objects.filter(slug=evaluation).first()
        if found is None:
            raise CommandError(f"Geen evaluatie met korte naam '{evaluation}'.")
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"Geen gebruiker '{username}'. Maak die eerst aan.")
        member, created = EvaluationMember.objects.update_or_create(
            evaluation=found, user=user, defaults={"role": rol}
        )
        verb = "toegevoegd als" if created else "is nu"
        self.stdout.write(
            self.style.SUCCESS(f"{username} {verb} {member.get_role_display()} van {found}.")
        )
