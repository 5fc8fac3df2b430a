from ._report_command import ReportCommand


class Command(ReportCommand):
    help = "Schrijft het eindrapport van een evaluatie als PDF of Word-bestand (-o x.docx)."
    default_name = "eindrapport"
    kind = "eindrapport"
