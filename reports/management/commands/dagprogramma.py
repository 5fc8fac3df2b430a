from reports.printables import PROGRAMME

from ._printable_command import PrintableCommand


class Command(PrintableCommand):
    help = "Schrijft het dagprogramma (per dag en ronde: zaal, sleutelmoment, deelnemers) als PDF."
    kind = PROGRAMME
    default_name = "dagprogramma"
