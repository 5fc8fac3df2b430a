"""Give a user the right to create evaluations (and so become their facilitator)."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Geeft een gebruiker het recht om evaluaties aan te maken (of neemt het af)."

    def add_arguments(self, parser):
        parser.add_argument("username", help="De gebruikersnaam.")
        parser.add_argument("--intrekken", action="store_true", help="Neem het recht af.")

    def handle(self, *args, username: str, intrekken: bool, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"Geen gebruiker '{username}'. Maak die eerst aan.")
        permission = Permission.objects.get(
            content_type__app_label="workshop", codename="add_evaluation"
        )
        if intrekken:
            user.user_permissions.remove(permission)
            self.stdout.write(self.style.SUCCESS(f"{username} mag geen evaluaties meer aanmaken."))
        else:
            user.user_permissions.add(permission)
            self.stdout.write(self.style.SUCCESS(f"{username} mag nu evaluaties aanmaken."))
