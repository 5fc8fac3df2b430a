from ._report_command import ReportCommand


class Command(ReportCommand):
    help = (
        "Schrijft de vertrouwelijke tussenrapportage van een evaluatie als PDF of Word-bestand "
        "(-o x.docx)."
    )
    default_name = "tussenrapportage"
    kind = "tussenrapportage"
