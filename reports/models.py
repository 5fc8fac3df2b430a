"""What the analyst writes: paradoxes, how-questions and recommendations."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from evaluatiespiegel.fields import MEDIUM, SHORT, BoundedTextField
from scoring.conditions import Condition, condition_order

from .colours import TextContrastValidator

_CONDITION_VALID = Q(condition__in=[c.value for c in Condition])


def _source_field():
    """Where a report item came from: a contribution on the wall of the slotdialoog.

    The item stays when the contribution goes (SET_NULL): it is the analyst's text by then.
    """
    return models.ForeignKey(
        "workshop.Contribution",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("uit de slotdialoog"),
    )


def _source_digest_field():
    """What the source said when the analyst took it over (or last confirmed it): the
    SHA-256 of reports.wall.group_text, so a later change or withdrawal shows (reports.wall
    source_changes). Empty: not from the wall, or the analyst made it their own text."""
    return models.CharField(max_length=64, blank=True, default="", editable=False)


class Paradox(models.Model):
    """One tension per condition, "kracht versus tegenkracht"."""

    evaluation = models.ForeignKey(
        "workshop.Evaluation",
        on_delete=models.CASCADE,
        related_name="paradoxes",
        verbose_name=_("evaluatie"),
    )
    condition = models.CharField(_("conditie"), max_length=20, choices=Condition.choices)
    title = models.CharField(
        _("titel"), max_length=200, help_text=_("Kracht versus tegenkracht, bijv. 'X versus Y'.")
    )
    practice = BoundedTextField(_("beschrijving vanuit de praktijk"), blank=True)
    theory = BoundedTextField(_("vanuit de theorie"), blank=True)

    class Meta:
        verbose_name = _("paradox")
        verbose_name_plural = _("paradoxen")
        ordering = ["evaluation", condition_order()]
        constraints = [
            models.UniqueConstraint(
                fields=["evaluation", "condition"],
                name="one_paradox_per_condition",
                violation_error_message=_("Deze conditie heeft al een paradox."),
            ),
            models.CheckConstraint(
                condition=_CONDITION_VALID,
                name="paradox_condition_valid",
                violation_error_message=_("Kies een conditie uit de lijst."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_condition_display()}: {self.title}"


class HowQuestion(models.Model):
    evaluation = models.ForeignKey(
        "workshop.Evaluation",
        on_delete=models.CASCADE,
        related_name="how_questions",
        verbose_name=_("evaluatie"),
    )
    condition = models.CharField(_("conditie"), max_length=20, choices=Condition.choices)
    order = models.PositiveSmallIntegerField(_("volgorde"), default=1)
    text = models.CharField(_("hoe-vraag"), max_length=300)

    class Meta:
        verbose_name = _("hoe-vraag")
        verbose_name_plural = _("hoe-vragen")
        ordering = ["evaluation", condition_order(), "order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=_CONDITION_VALID,
                name="how_question_condition_valid",
                violation_error_message=_("Kies een conditie uit de lijst."),
            ),
        ]

    def __str__(self) -> str:
        return self.text


class Recommendation(models.Model):
    how_question = models.ForeignKey(
        HowQuestion,
        on_delete=models.CASCADE,
        related_name="recommendations",
        verbose_name=_("hoe-vraag"),
    )
    order = models.PositiveSmallIntegerField(_("volgorde"), default=1)
    text = BoundedTextField(_("aanbeveling"), max_length=MEDIUM)
    source = _source_field()
    source_digest = _source_digest_field()

    class Meta:
        verbose_name = _("aanbeveling")
        verbose_name_plural = _("aanbevelingen")
        ordering = ["how_question", "order", "pk"]

    def __str__(self) -> str:
        return self.text[:80]


class RunningHeader(models.TextChoices):
    TITLE = "title", _("de titel van het rapport")
    PUBLISHER = "publisher", _("de uitgever (twee regels) en het logo")
    EVALUATION = "evaluation", _("de naam van de evaluatie")
    NONE = "none", _("niets")


class Typeface(models.TextChoices):
    """Bundled open-licence typefaces (static/fonts, licences beside them)."""

    SANS = "sans", _("DejaVu Sans (schreefloos)")
    SERIF = "serif", _("Liberation Serif (met schreef)")


class ReportText(models.Model):
    """The eindrapport's cover and the evaluation's house style; the chapters are an outline
    of blocks (ReportOutline)."""

    evaluation = models.OneToOneField(
        "workshop.Evaluation",
        on_delete=models.CASCADE,
        related_name="report_text",
        verbose_name=_("evaluatie"),
    )
    # Cover
    title = models.CharField(_("titel"), max_length=200, blank=True)
    subtitle = models.CharField(_("ondertitel"), max_length=200, blank=True)
    report_date = models.CharField(
        _("datum"), max_length=60, blank=True, help_text=_("Bijv. 'December 2025'.")
    )
    analyst = models.CharField(_("analist"), max_length=120, blank=True)
    publisher = models.CharField(
        _("uitgever"),
        max_length=120,
        blank=True,
        help_text=_("Staat op het omslag en in de kopregel."),
    )
    publisher_line2 = models.CharField(
        _("uitgever, tweede regel"),
        max_length=120,
        blank=True,
        help_text=_("Bijv. 'Academie voor publieke bouw- en infraprojecten'."),
    )
    tagline = models.CharField(
        _("ondertitel van het omslag"),
        max_length=200,
        blank=True,
        help_text=_("Bijv. 'Conditie voor samenwerken in en met Allianties'."),
    )
    logo = models.BinaryField(_("logo"), null=True, blank=True, editable=False)
    logo_type = models.CharField(_("bestandstype logo"), max_length=20, blank=True)
    running_header = models.CharField(
        _("kopregel"), max_length=20, choices=RunningHeader.choices, default=RunningHeader.TITLE
    )
    typeface = models.CharField(
        _("lettertype"), max_length=20, choices=Typeface.choices, default=Typeface.SANS
    )
    accent = models.CharField(
        _("accentkleur"),
        max_length=7,
        default="#0b4f6c",
        help_text=_("Bijv. #0b4f6c. Koppen krijgen deze kleur: minstens 4,5:1 contrast op wit."),
        validators=[TextContrastValidator()],
    )
    # Chapter 2's comparison names the other contract form.
    other_form = models.CharField(
        _("andere contractvorm"), max_length=60, default="D&C", help_text=_("Bijv. 'D&C'.")
    )
    updated_at = models.DateTimeField(_("gewijzigd"), auto_now=True)

    class Meta:
        verbose_name = _("rapporttekst")
        verbose_name_plural = _("rapportteksten")
        constraints = [
            models.CheckConstraint(
                condition=Q(accent__regex=r"^#[0-9a-fA-F]{6}$"),
                name="report_accent_is_hex",
                violation_error_message=_(
                    "Geef de accentkleur als # met zes hexadecimale tekens, bijvoorbeeld #1F5C99."
                ),
            ),
            models.CheckConstraint(
                condition=Q(running_header__in=["title", "publisher", "evaluation", "none"]),
                name="report_running_header_valid",
                violation_error_message=_("Kies een kopregel uit de lijst."),
            ),
        ]

    def __str__(self) -> str:
        return self.title or str(self.evaluation)


class ContractTheme(models.Model):
    """Chapter 2: one theme on which the alliance and another contract form differ."""

    evaluation = models.ForeignKey(
        "workshop.Evaluation", on_delete=models.CASCADE, related_name="contract_themes"
    )
    order = models.PositiveSmallIntegerField(_("volgorde"), default=1)
    title = models.CharField(_("thema"), max_length=200)
    alliance = BoundedTextField(_("alliantie"), blank=True, max_length=MEDIUM)
    other = BoundedTextField(_("andere contractvorm"), blank=True, max_length=MEDIUM)

    class Meta:
        verbose_name = _("thema contractvormen")
        verbose_name_plural = _("thema's contractvormen")
        ordering = ["evaluation", "order", "pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def alliance_points(self) -> list:
        """Bullets under the alliance side, taken from the slotdialoog (prefetch `points`)."""
        return [p for p in self.points.all() if p.side == "alliantie"]

    @property
    def other_points(self) -> list:
        """Bullets under the other contract form's side."""
        return [p for p in self.points.all() if p.side == "ander"]


class ThemeSide(models.TextChoices):
    ALLIANCE = "alliantie", _("Alliantie")
    OTHER = "ander", _("andere contractvorm")


class ContractThemePoint(models.Model):
    """A bullet under one side of a contract-form theme, taken from the slotdialoog."""

    theme = models.ForeignKey(ContractTheme, on_delete=models.CASCADE, related_name="points")
    side = models.CharField(_("kant"), max_length=10, choices=ThemeSide.choices)
    order = models.PositiveSmallIntegerField(_("volgorde"), default=1)
    text = BoundedTextField(_("punt"), max_length=SHORT)
    source = _source_field()
    source_digest = _source_digest_field()

    class Meta:
        verbose_name = _("punt bij een thema")
        verbose_name_plural = _("punten bij thema's")
        ordering = ["theme", "side", "order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(side__in=[s.value for s in ThemeSide]),
                name="theme_point_side_valid",
                violation_error_message=_("Kies een kant uit de lijst."),
            ),
        ]

    def __str__(self) -> str:
        return self.text[:80]


class ParadoxQuote(models.Model):
    """A quotation from the room in a paradox's practice text, taken from the slotdialoog."""

    paradox = models.ForeignKey(Paradox, on_delete=models.CASCADE, related_name="quotes")
    order = models.PositiveSmallIntegerField(_("volgorde"), default=1)
    text = BoundedTextField(_("citaat"), max_length=SHORT)
    source = _source_field()
    source_digest = _source_digest_field()

    class Meta:
        verbose_name = _("citaat bij een paradox")
        verbose_name_plural = _("citaten bij paradoxen")
        ordering = ["paradox", "order", "pk"]

    def __str__(self) -> str:
        return self.text[:80]


class ConclusionTheme(models.Model):
    """Chapter 5: one of the dominant themes of the conclusion."""

    evaluation = models.ForeignKey(
        "workshop.Evaluation", on_delete=models.CASCADE, related_name="conclusion_themes"
    )
    order = models.PositiveSmallIntegerField(_("volgorde"), default=1)
    title = models.CharField(_("thema"), max_length=200)
    text = BoundedTextField(_("tekst"), blank=True)

    class Meta:
        verbose_name = _("thema conclusie")
        verbose_name_plural = _("thema's conclusie")
        ordering = ["evaluation", "order", "pk"]

    def __str__(self) -> str:
        return self.title


class ReportKind(models.TextChoices):
    """The two reports of an evaluation, each with an outline of blocks."""

    EINDRAPPORT = "eindrapport", _("eindrapport")
    TUSSENRAPPORTAGE = "tussenrapportage", _("tussenrapportage")


class PrintableKind(models.TextChoices):
    """Printables for the room (reports/printables.py), made by the same worker as the
    reports. The cards carry live personal links: only the facilitator gets them, and they
    are wiped once downloaded."""

    DEELNEMERSKAARTEN = "deelnemerskaarten", _("deelnemerskaarten")
    DAGPROGRAMMA = "dagprogramma", _("dagprogramma")


# Everything the worker makes a file of (RenderedReport.kind): the reports and the printables.
DOCUMENT_KINDS = [*ReportKind.choices, *PrintableKind.choices]


class BlockKind(models.TextChoices):
    HEADING = "heading", _("kop")
    TEXT = "text", _("tekst")
    FIGURE = "figure", _("figuur (afbeelding)")
    GENERATED = "generated", _("onderdeel uit de gegevens")
    PAGE_BREAK = "pagebreak", _("nieuwe pagina")


class Part(models.TextChoices):
    """The generated parts of a report: each is built from the evaluation's data."""

    COVER = "cover", _("Omslag")
    TOC = "toc", _("Inhoud")
    METHOD_FIGURES = "method_figures", _("Cijfers van de evaluatie")
    KEY_MOMENTS = "key_moments", _("Tabel van de sleutelmomenten")
    CENTRAL_QUESTIONS = "central_questions", _("Centrale vragen")
    CONTRACT_THEMES = "contract_themes", _("Thema's contractvormen")
    MODEL_FIGURE = "model_figure", _("Figuur: de vijf condities als samenhangend model")
    EXAMPLE_SPIDER = "example_spider", _("Figuur: voorbeeld van een spindiagram, met uitleg")
    CONSEQUENCES_FIGURE = (
        "consequences_figure",
        _("Figuur: de gevolgen van onevenwichtige aandacht"),
    )
    SPIDER_OVERALL = "spider_overall", _("Spindiagram: alle sleutelmomenten samen")
    SPIDER_KEY_MOMENTS = "spider_key_moments", _("Spindiagrammen per sleutelmoment")
    IMBALANCE = "imbalance", _("Onevenwichtige aandacht in de scores")
    ROLES = "roles", _("Verschillen tussen vertellers en reflectoren")
    AGREEMENT = "agreement", _("Overeenstemming in de zaal")
    LIFECYCLE = "lifecycle", _("De condities door de levenscyclus")
    PARADOXES = "paradoxes", _("De paradoxen")
    HOW_QUESTIONS = "how_questions", _("De hoe-vragen")
    CONCLUSION_THEMES = "conclusion_themes", _("Thema's van de conclusie")
    APPENDIX = "appendix", _("Hoe-vragen met aanbevelingen (bijlage)")
    SESSIONS = "sessions", _("Alle sessies: notities en spindiagram")
    WALL = "wall", _("De wand van de slotdialoog (alle bijdragen)")


# Which generated parts make sense in which report: the add form's choices, the Markdown
# import's check. The raw wall of the slotdialoog is confidential, like the sessions' notes.
PARTS_FOR = {
    ReportKind.EINDRAPPORT: [p for p in Part if p not in (Part.SESSIONS, Part.WALL)],
    ReportKind.TUSSENRAPPORTAGE: [
        Part.COVER, Part.TOC, Part.SESSIONS, Part.KEY_MOMENTS, Part.METHOD_FIGURES,
        Part.SPIDER_OVERALL, Part.SPIDER_KEY_MOMENTS, Part.MODEL_FIGURE, Part.EXAMPLE_SPIDER,
        Part.WALL,
    ],
}  # fmt: skip


class ImageType(models.TextChoices):
    PNG = "image/png", "PNG"
    JPEG = "image/jpeg", "JPEG"
    SVG = "image/svg+xml", "SVG"


class ReportOutline(models.Model):
    """One report of an evaluation as the analyst arranged it: an ordered list of blocks.

    Created from a preset on first use (reports.outline.outline_for); the analyst adds,
    moves, switches off and deletes blocks, or applies another preset at any time.
    """

    evaluation = models.ForeignKey(
        "workshop.Evaluation",
        on_delete=models.CASCADE,
        related_name="report_outlines",
        verbose_name=_("evaluatie"),
    )
    kind = models.CharField(_("rapport"), max_length=20, choices=ReportKind.choices)
    preset = models.CharField(_("laatst gekozen opzet"), max_length=20, blank=True)
    updated_at = models.DateTimeField(_("gewijzigd"), auto_now=True)

    class Meta:
        verbose_name = _("rapportopzet")
        verbose_name_plural = _("rapportopzetten")
        constraints = [
            models.UniqueConstraint(
                fields=["evaluation", "kind"],
                name="one_outline_per_report",
                violation_error_message=_("Dit rapport heeft al een opzet."),
            ),
            models.CheckConstraint(
                condition=Q(kind__in=[k.value for k in ReportKind]),
                name="outline_kind_valid",
                violation_error_message=_("Kies een rapport uit de lijst."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.evaluation}"


class ReportBlock(models.Model):
    """One block of a report outline: a heading, a text, an uploaded figure, a generated
    part or a page break. Switched-off blocks stay in the outline but are not printed."""

    outline = models.ForeignKey(
        ReportOutline, on_delete=models.CASCADE, related_name="blocks", verbose_name=_("opzet")
    )
    order = models.PositiveIntegerField(_("volgorde"), default=0)
    kind = models.CharField(_("soort"), max_length=20, choices=BlockKind.choices)
    enabled = models.BooleanField(_("aan"), default=True)
    level = models.PositiveSmallIntegerField(_("niveau"), default=1, help_text=_("1, 2 of 3."))
    numbered = models.BooleanField(_("genummerd"), default=True)
    title = models.CharField(
        _("titel"),
        max_length=300,
        blank=True,
        help_text=_("De kop, of het bijschrift van een figuur."),
    )
    body = BoundedTextField(_("tekst"), blank=True)
    # Which text of a preset this block holds ("introduction"), so that applying another
    # preset keeps the analyst's texts in their place.
    slot = models.CharField(max_length=40, blank=True, editable=False)
    part = models.CharField(_("onderdeel"), max_length=30, choices=Part.choices, blank=True)
    # An uploaded figure, stored sanitised (reports.images): re-encoded pixels, or an SVG
    # with only drawing elements and no references outside itself.
    image = models.BinaryField(_("afbeelding"), null=True, blank=True, editable=False)
    image_type = models.CharField(
        _("bestandstype"), max_length=20, choices=ImageType.choices, blank=True
    )
    width = models.PositiveSmallIntegerField(_("breedte (% van de tekstbreedte)"), default=100)

    class Meta:
        verbose_name = _("rapportblok")
        verbose_name_plural = _("rapportblokken")
        ordering = ["outline", "order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=[k.value for k in BlockKind]),
                name="block_kind_valid",
                violation_error_message=_("Kies een soort blok uit de lijst."),
            ),
            models.CheckConstraint(
                condition=Q(level__gte=1, level__lte=3),
                name="block_level_1_3",
                violation_error_message=_("Een kop heeft niveau 1, 2 of 3."),
            ),
            models.CheckConstraint(
                condition=~Q(kind=BlockKind.HEADING) | ~Q(title=""),
                name="block_heading_has_title",
                violation_error_message=_("Een kop heeft een titel."),
            ),
            models.CheckConstraint(
                condition=(Q(kind=BlockKind.GENERATED) & Q(part__in=[p.value for p in Part]))
                | (~Q(kind=BlockKind.GENERATED) & Q(part="")),
                name="block_part_only_generated",
                violation_error_message=_(
                    "Alleen een onderdeel uit de gegevens kiest een onderdeel."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(kind=BlockKind.FIGURE)
                | Q(image_type__in=[t.value for t in ImageType], image__isnull=False),
                name="block_figure_has_image",
                violation_error_message=_("Een figuur heeft een afbeelding."),
            ),
            models.CheckConstraint(
                condition=Q(width__gte=20, width__lte=100),
                name="block_width_20_100",
                violation_error_message=_("De breedte ligt tussen 20 en 100 procent."),
            ),
        ]

    def __str__(self) -> str:
        return block_content(self)

    @property
    def summary(self) -> str:
        """One line that says what the block is and holds (block_summary)."""
        return block_summary(self)


def _one_line(value: str) -> str:
    return " ".join(value.split())


def block_content(block) -> str:
    """What a block holds, in one line of Dutch: the heading, the text, the caption, the
    part. The one label of every list of blocks (workspace, preset preview, import preview,
    the command line): an empty text or a figure without caption is named the same way
    everywhere. `block` is a ReportBlock or anything with its fields (an import's BlockSpec).
    """
    if block.kind == BlockKind.GENERATED:
        return str(Part(block.part).label)
    if block.kind == BlockKind.TEXT:
        return _one_line(block.body) or str(EMPTY_TEXT)
    if block.kind == BlockKind.FIGURE:
        return _one_line(block.title) or str(NO_CAPTION)
    if block.kind == BlockKind.PAGE_BREAK:
        return str(BlockKind.PAGE_BREAK.label)
    from .outline_rules import heading_title_explained  # it knows BlockKind from here

    return _one_line(heading_title_explained(block.title))


EMPTY_TEXT = _("(leeg: wordt niet afgedrukt)")
NO_CAPTION = _("(zonder bijschrift)")


def block_summary(block) -> str:
    """What a block is and holds, one line of Dutch ("Kop 2: Aanpak", "Tekst: …"), with
    "uit" when it is switched off. `block` as for block_content; a text is cut at 80
    characters."""
    content = block_content(block)
    if block.kind == BlockKind.TEXT and len(content) > 80:
        content = content[:79] + "…"
    if block.kind == BlockKind.HEADING:
        text = _("Kop %(level)s: %(title)s") % {"level": block.level, "title": content}
        if not block.numbered:
            text += " " + _("(zonder nummer)")
    elif block.kind == BlockKind.TEXT:
        text = _("Tekst: %(start)s") % {"start": content}
    elif block.kind == BlockKind.GENERATED:
        text = _("Uit de gegevens: %(part)s") % {"part": content}
    elif block.kind == BlockKind.FIGURE:
        text = _("Figuur (afbeelding, %(width)s%%): %(caption)s") % {
            "width": block.width,
            "caption": content,
        }
    else:
        text = capfirst(content)
    return text if block.enabled else text + " · " + _("uit")


class RenderedReport(models.Model):
    """One request for a report as PDF or Word file, made by the background worker
    (reports/tasks.py).

    The rows are the queue's visible side and the cache: a finished row keeps its file and
    the hash of the HTML it came from, so an unchanged report is not laid out again. Both
    formats are laid out from the same HTML (reports/builder.py).
    """

    class Format(models.TextChoices):
        PDF = "pdf", "PDF"
        DOCX = "docx", _("Word (DOCX)")

    class Status(models.TextChoices):
        QUEUED = "wachtrij", _("in de wachtrij")
        RUNNING = "bezig", _("wordt gemaakt")
        DONE = "klaar", _("klaar")
        FAILED = "mislukt", _("mislukt")

    evaluation = models.ForeignKey(
        "workshop.Evaluation",
        on_delete=models.CASCADE,
        related_name="rendered_reports",
        verbose_name=_("evaluatie"),
    )
    # A report (ReportKind) or a printable (PrintableKind).
    kind = models.CharField(_("soort"), max_length=20, choices=DOCUMENT_KINDS)
    format = models.CharField(
        _("formaat"), max_length=10, choices=Format.choices, default=Format.PDF
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    content_hash = models.CharField(_("inhoud (SHA-256)"), max_length=64, blank=True)
    content = models.BinaryField(_("bestand"), null=True, blank=True, editable=False)
    size = models.PositiveIntegerField(_("grootte (bytes)"), default=0)
    error = models.TextField(_("melding"), blank=True)
    reused = models.BooleanField(_("ongewijzigd, niet opnieuw opgemaakt"), default=False)
    requested_at = models.DateTimeField(_("aangevraagd"), auto_now_add=True)
    finished_at = models.DateTimeField(_("klaar om"), null=True, blank=True)
    # Where the personal links on participant cards point (the worker has no request).
    site_url = models.URLField(_("adres van de app"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("gemaakt rapport")
        verbose_name_plural = _("gemaakte rapporten")
        ordering = ["-requested_at", "-pk"]
        indexes = [models.Index(fields=["evaluation", "kind", "format", "-requested_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=[value for value, _label in DOCUMENT_KINDS]),
                name="rendered_report_kind_valid",
                violation_error_message=_("Kies een rapport uit de lijst."),
            ),
            models.CheckConstraint(
                condition=Q(format__in=["pdf", "docx"]),
                name="rendered_report_format_valid",
                violation_error_message=_("Kies PDF of Word."),
            ),
            models.CheckConstraint(
                condition=~Q(status="klaar") | Q(content__isnull=False),
                name="rendered_report_done_has_content",
                violation_error_message=_("Een gemaakt rapport heeft een bestand."),
            ),
        ]

    def __str__(self) -> str:
        return (
            f"{self.get_kind_display()} ({self.get_format_display()}) · {self.get_status_display()}"
        )

    @property
    def pending(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)


class OutlineImport(models.Model):
    """A file uploaded to replace an outline, kept between the preview of what would change
    and the analyst's confirmation (reports.outline_file). The file is read again on
    confirmation; `base` is the outline's fingerprint at the preview, so a confirmation after
    someone else changed the outline is refused instead of overwriting unseen work."""

    outline = models.ForeignKey(
        ReportOutline, on_delete=models.CASCADE, related_name="imports", verbose_name=_("opzet")
    )
    filename = models.CharField(_("bestandsnaam"), max_length=200)
    data = models.BinaryField(_("bestand"), editable=False)
    base = models.CharField(_("opzet bij het voorbeeld (SHA-256)"), max_length=64)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("door"),
    )
    created_at = models.DateTimeField(_("geüpload"), auto_now_add=True)

    class Meta:
        verbose_name = _("ingelezen opzet (nog niet toegepast)")
        verbose_name_plural = _("ingelezen opzetten (nog niet toegepast)")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.filename
