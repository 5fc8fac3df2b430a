"""Starting texts for the method chapters: the analyst overwrites them per evaluation."""

from django.db import transaction

from .models import ReportText

COVER_DEFAULTS = {"subtitle": "Eindrapport"}

# The first body of each text block of a preset (reports.presets), by slot.
STARTING_TEXTS = {
    "method": (
        "In een Evaluatiespiegel kijken vakgenoten uit het netwerk samen met de mensen van de "
        "alliantie terug op sleutelmomenten: momenten waarop de samenwerking op de proef werd "
        "gesteld. In reconstructiesessies vertellen **vertellers** uit de alliantie wat er "
        "gebeurde; **reflectoren** van buiten kijken mee en stellen vragen.\n\n"
        "Na elke reconstructie verdeelde iedere deelnemer precies 10 punten over de vijf "
        "condities voor samenwerken van Kaats en Opheij. Zo werd zichtbaar waar de energie "
        "zat, en waar vertellers en reflectoren het verschillend zagen."
    ),
    "method_theory": (
        "Elke reconstructie keek door de bril van het samenwerkingsmodel van Kaats en Opheij, "
        "met vijf condities voor samenwerken. Deelnemers reconstrueerden de sleutelmomenten in "
        "wisselende groepen en reflecteerden er daarna op."
    ),
    "method_interim": (
        "Alle reconstructies, reflecties, inzichten en lessen zijn gebundeld in een "
        "vertrouwelijke tussenrapportage, alleen voor de alliantie en de deelnemers. Die diende "
        "ter voorbereiding van de verdiepende slotdialoog."
    ),
    "method_dialogue": (
        "In de verdiepende slotdialoog zijn de bevindingen en paradoxen met alle betrokkenen "
        "verder uitgediept."
    ),
    "theory_dynamics": (
        "De vijf condities zijn allemaal nodig en niet los van elkaar te zien: wat op de ene "
        "gebeurt, werkt door op de andere vier. Na elke reconstructie verdeelde iedere "
        "deelnemer precies 10 punten over de vijf condities; de scores staan in een spindiagram."
    ),
    "theory": (
        "Het model van Kaats en Opheij onderscheidt vijf samenhangende condities voor "
        "samenwerken tussen organisaties: **Ambitie** (het gezamenlijke doel), **Belangen** "
        "(wat partijen drijft en wat het hun oplevert), **Relatie** (de kwaliteit van de "
        "verbinding, binnen en buiten de samenwerking), **Organisatie** (rollen, "
        "verantwoordelijkheden en mandaat) en **Proces** (hoe besloten, geleerd en bijgestuurd "
        "wordt).\n\n"
        "De condities vormen samen een dynamisch systeem: wat op de ene conditie gebeurt, "
        "werkt door op de andere vier. Te veel aandacht voor de ene gaat vaak ten koste van "
        "een andere."
    ),
    "theory_charts": (
        "De spindiagrammen hieronder tonen per sleutelmoment de gemiddelde punten van de "
        "vertellers, de reflectoren en alle deelnemers samen. De scores zijn relatief: wie "
        "maar 10 punten heeft, laat zien waar de energie zat en hoe evenwichtig het geheel "
        "was, niet hoe goed de alliantie het deed."
    ),
    "paradoxes_about": (
        "De condities bleken te werken als communicerende vaten: een kracht op de ene conditie "
        "bleek vaak ten koste te gaan van een andere, en binnen een conditie werd van elke "
        "kracht ook de tegenkracht zichtbaar."
    ),
    "paradoxes_intro": (
        "Uit de reconstructies bleek dat de condities werken als communicerende vaten: een "
        "kracht op de ene conditie blijkt vaak een tegenkracht op een andere. Per conditie "
        "beschrijven we daarom een paradox uit de praktijk en plaatsen we die in de theorie."
    ),
    "how_questions_intro": (
        "Goed samenwerken is balanceren. De vragen hieronder helpen huidige en toekomstige "
        "allianties om die balans te vinden, te houden en tijdig bij te stellen. In de bijlage "
        "staan per vraag aanbevelingen."
    ),
    "scores_intro": (
        "Deze bijlage toont de scores zelf: de gemiddelde punten per conditie over alle "
        "sleutelmomenten en per sleutelmoment, en wat ze zeggen over balans en verschillen."
    ),
    "interim_intro": (
        "Deze tussenrapportage is alleen bedoeld voor de alliantie en de deelnemers aan de "
        "Evaluatiespiegel. Ze bundelt per sessie de reconstructie, reflecties, inzichten, lessen "
        "en het spindiagram, ter voorbereiding van de verdiepende slotdialoog."
    ),
}

# Starting texts that describe the method and its model: true for every Evaluatiespiegel, so
# they are printed even untouched (the source report has these sections). The other starting
# texts introduce data and count only with the data beside them (reports.builder).
STANDING_TEXTS = frozenset(
    {"method", "method_theory", "method_interim", "method_dialogue", "theory", "theory_dynamics"}
)


@transaction.atomic
def report_text_for(evaluation) -> ReportText:
    """The evaluation's report texts, created with the default texts on first use."""
    text, created = ReportText.objects.get_or_create(
        evaluation=evaluation,
        defaults={**COVER_DEFAULTS, "title": f"Evaluatiespiegel {evaluation.title}"},
    )
    return text
