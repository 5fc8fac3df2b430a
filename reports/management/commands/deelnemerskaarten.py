from django.core.management.base import CommandError

from reports.printables import CARDS
from sessions.services import claims_for_cards

from ._printable_command import PrintableCommand


class Command(PrintableCommand):
    help = (
        "Schrijft een deelnemerskaart per deelnemer (naam, rol, QR-code van de persoonlijke "
        "link) als PDF. Wie nog geen naam koos, krijgt er een. Het bestand bevat geheime "
        "links: bewaar het niet langer dan nodig."
    )
    kind = CARDS
    default_name = "deelnemerskaarten"

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "--adres",
            required=True,
            help="Het adres van de app zoals deelnemers het openen, bijv. https://spiegel.example.nl",
        )

    def handle(self, *args, adres: str, **options):
        if not adres.startswith(("http://", "https://")):
            raise CommandError("Geef --adres als http(s)://…, bijv. https://spiegel.example.nl")
        self.site_url = adres.rstrip("/") + "/"
        super().handle(*args, **options)

    def prepare(self, evaluation):
        claims_for_cards(evaluation=evaluation)
