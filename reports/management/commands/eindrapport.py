from reports.builder import eindrapport_pdf

from ._report_command import ReportCommand


class Command(ReportCommand):
    help = "Schrijft het eindrapport van een evaluatie als PDF."
    default_name = "eindrapport"

    def render(self, evaluation):
        return eindrapport_pdf(evaluation)
