"""Starting texts for the method chapters: the analyst overwrites them per evaluation."""

from django.db import transaction

from .models import ReportText

DEFAULT_TEXTS = {
    "subtitle": "Eindrapport",
    "method": (
        "In een Evaluatiespiegel kijken vakgenoten uit het netwerk samen met de mensen van de "
        "alliantie terug op sleutelmomenten: momenten waarop de samenwerking op de proef werd "
        "gesteld. In reconstructiesessies vertellen **vertellers** uit de alliantie wat er "
        "gebeurde; **reflectoren** van buiten kijken mee en stellen vragen.\n\n"
        "Na elke reconstructie verdeelde iedere deelnemer precies 10 punten over de vijf "
        "condities voor samenwerken van Kaats en Opheij. Zo werd zichtbaar waar de energie "
        "zat, en waar vertellers en reflectoren het verschillend zagen."
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
}


@transaction.atomic
def report_text_for(evaluation) -> ReportText:
    """The evaluation's report texts, created with the default texts on first use."""
    text, created = ReportText.objects.get_or_create(
        evaluation=evaluation,
        defaults={**DEFAULT_TEXTS, "title": f"Evaluatiespiegel {evaluation.title}"},
    )
    return text
