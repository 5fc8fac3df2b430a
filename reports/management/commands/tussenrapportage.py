from reports.builder import tussenrapportage_pdf

from ._report_command import ReportCommand


class Command(ReportCommand):
    help = "Schrijft de vertrouwelijke tussenrapportage van een evaluatie als PDF."
    default_name = "tussenrapportage"

    def render(self, evaluation):
        return tussenrapportage_pdf(evaluation)
