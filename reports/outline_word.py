"""Word documents (DOCX) read as an outline: see docx_read."""

from django.utils.translation import gettext as _

from .outline_file import ImportPlan, OutlineFileError

MAX_DOCX_BYTES = 10 * 1024 * 1024


def docx_read(data: bytes) -> tuple[ImportPlan, list]:
    raise OutlineFileError(_("Word-documenten kunnen nog niet ingelezen worden."))
