"""Preset outlines: the block lists a report starts from, and that the analyst can apply again.

A preset is a list of block specs:

- ("heading", level, title, numbered) — a heading; "{paradoxen}" in a title becomes the
  number of paradoxes in words ("Vijf", "Drie"), so the title never disagrees with the report;
- ("text", slot) — a text block; slot names the text ("introduction"), its first body comes
  from the starting texts (reports.defaults) and it keeps the analyst's text when another
  preset is applied;
- ("part", part) or ("part", part, enabled) — a generated part (reports.models.Part);
- ("pagebreak",).
"""

from django.utils.translation import gettext_lazy as _

from .models import Part, ReportKind

P = Part

# Today's data-rich report: every data block in chapter 3.
RICH = [
    ("part", P.COVER),
    ("part", P.TOC),
    ("heading", 1, "Inleiding", True),
    ("text", "introduction"),
    ("heading", 2, "Aanleiding", True),
    ("text", "reason"),
    ("heading", 2, "Evaluatiemethode", True),
    ("text", "method"),
    ("part", P.METHOD_FIGURES),
    ("heading", 3, "Sleutelmomenten", False),
    ("part", P.KEY_MOMENTS),
    ("heading", 3, "Centrale vragen", False),
    ("part", P.CENTRAL_QUESTIONS),
    ("heading", 2, "Doel van dit rapport", True),
    ("text", "goal"),
    ("heading", 1, "Hoe contractvormen zich onderscheiden", True),
    ("text", "contract_intro"),
    ("part", P.CONTRACT_THEMES),
    ("heading", 3, "Kortom", False),
    ("text", "contract_conclusion"),
    ("heading", 1, "Theoretisch kader", True),
    ("text", "theory"),
    ("text", "theory_charts"),
    ("part", P.SPIDER_OVERALL),
    ("part", P.SPIDER_KEY_MOMENTS),
    ("part", P.IMBALANCE),
    ("part", P.ROLES),
    ("part", P.AGREEMENT),
    ("part", P.LIFECYCLE),
    ("heading", 1, "{paradoxen} paradoxen van samenwerken", True),
    ("text", "paradoxes_intro"),
    ("heading", 2, "Paradoxen en hun theoretische duiding", True),
    ("part", P.PARADOXES),
    ("heading", 2, "Relevante vragen bij het opstarten en onderhouden van een alliantie", True),
    ("text", "how_questions_intro"),
    ("part", P.HOW_QUESTIONS),
    ("heading", 1, "Conclusie", True),
    ("text", "conclusion_intro"),
    ("part", P.CONCLUSION_THEMES),
    ("heading", 1, "Tot slot", True),
    ("text", "closing"),
    ("heading", 1, "Bijlage: hoe-vragen en aanbevelingen", False),
    ("part", P.APPENDIX),
]

# The source report's own outline: narrative chapters, the explanatory figures in chapter 3,
# the data charts in an appendix at the end.
SOURCE = [
    ("part", P.COVER),
    ("part", P.TOC),
    ("heading", 1, "Inleiding", True),
    ("text", "introduction"),
    ("heading", 2, "Aanleiding", True),
    ("text", "reason"),
    ("heading", 2, "Evaluatiemethode", True),
    ("heading", 3, "Meervoudige blik vanuit de praktijk", False),
    ("text", "method"),
    ("heading", 3, "Met een theoretische bril", False),
    ("text", "method_theory"),
    ("part", P.METHOD_FIGURES),
    ("heading", 3, "Centrale vragen", False),
    ("part", P.CENTRAL_QUESTIONS),
    ("heading", 3, "Vertrouwelijke tussenrapportage", False),
    ("text", "method_interim"),
    ("heading", 3, "Verdiepende slotdialoog", False),
    ("text", "method_dialogue"),
    ("heading", 2, "Doel van dit eindrapport", True),
    ("text", "goal"),
    ("heading", 1, "Hoe contractvormen zich onderscheiden", True),
    ("text", "contract_intro"),
    ("heading", 2, "Alliantie vs. traditionele contractvorm", True),
    ("part", P.CONTRACT_THEMES),
    ("heading", 3, "Kortom", False),
    ("text", "contract_conclusion"),
    ("heading", 1, "Theoretisch kader", True),
    ("text", "theory"),
    ("part", P.MODEL_FIGURE),
    ("text", "theory_dynamics"),
    ("part", P.EXAMPLE_SPIDER),
    ("text", "theory_charts"),
    ("part", P.CONSEQUENCES_FIGURE),
    ("heading", 1, "{paradoxen} paradoxen van samenwerken binnen een alliantie", True),
    ("text", "paradoxes_intro"),
    ("heading", 2, "Paradoxen en hun theoretische duiding", True),
    ("heading", 3, "Over de paradoxen", False),
    ("text", "paradoxes_about"),
    ("part", P.PARADOXES),
    ("heading", 2, "Relevante vragen bij het opstarten en onderhouden van een alliantie", True),
    ("text", "how_questions_intro"),
    ("part", P.HOW_QUESTIONS),
    ("heading", 1, "Conclusie", True),
    ("text", "conclusion_intro"),
    ("part", P.CONCLUSION_THEMES),
    ("heading", 2, "De kunst van het balanceren", False),
    ("text", "conclusion_balance"),
    ("heading", 1, "Tot slot", True),
    ("text", "closing"),
    ("heading", 1, "Bijlage: hoe-vragen en aanbevelingen", False),
    ("part", P.APPENDIX),
    ("heading", 1, "Bijlage: de scores", False),
    ("text", "scores_intro"),
    ("part", P.SPIDER_OVERALL),
    ("part", P.SPIDER_KEY_MOMENTS),
    ("part", P.IMBALANCE),
    ("part", P.ROLES),
    ("part", P.AGREEMENT, False),
    ("part", P.LIFECYCLE),
]

INTERIM = [
    ("part", P.COVER),
    ("part", P.TOC),
    ("text", "interim_intro"),
    ("part", P.SESSIONS),
    ("part", P.WALL),
]

# name -> (label, report kind, blocks); the first of a kind is where a new report starts.
PRESETS = {
    "rijk": (
        _("Rapport met alle gegevens (hoofdstuk 3 vol grafieken)"),
        ReportKind.EINDRAPPORT,
        RICH,
    ),
    "bron": (
        _(
            "Zoals het voorbeeldrapport: verhalend, uitleg-figuren in hoofdstuk 3, scores in de bijlage"
        ),
        ReportKind.EINDRAPPORT,
        SOURCE,
    ),
    "tussen": (_("Alle sessies, met inhoud"), ReportKind.TUSSENRAPPORTAGE, INTERIM),
}
DEFAULT_PRESET = {ReportKind.EINDRAPPORT: "bron", ReportKind.TUSSENRAPPORTAGE: "tussen"}


def presets_for(kind: str) -> list[tuple[str, str]]:
    """(name, label) of the presets for one report kind, for a choice field."""
    return [(name, label) for name, (label, k, _blocks) in PRESETS.items() if k == kind]
