"""The method's default catalogue of how-questions with recommendations, per condition.

A new evaluation starts from this list (the method's own, as in the appendix of the
Markermeerdijken report); the analyst edits it per evaluation.
"""

from django.db import transaction

from scoring.conditions import Condition

from .models import HowQuestion, Recommendation

DEFAULT_CATALOGUE: dict[Condition, list[tuple[str, list[str]]]] = {
    Condition.AMBITIE: [
        (
            "Hoe ontwikkel en onderhoud je een gedeelde, betekenisvolle ambitie?",
            [
                "Stel ambitie niet één keer vast, maar behandel het als een bewegend "
                "referentiepunt dat regelmatig opnieuw betekenis krijgt in het licht van nieuwe "
                "omstandigheden, omgeving, bestuurders en risico's.",
                "Check of het publieke belang voldoende onderdeel is van de ambitie.",
                "Verwar 'best for project' niet met ambitie: het is een manier om belangen af "
                "te wegen.",
            ],
        ),
        (
            "Hoe zorg je dat ambitie breed wordt gedragen (alliantie + moederorganisaties)?",
            [
                "Maak de doorvertaling van ambitie naar organisatiebelangen expliciet: wat "
                "betekent onze ambitie voor andere partijen, en hoe kan het ook hun ambitie worden?",
                "Plan momenten waarop bestuurders expliciet bevestigen dat de ambitie nog klopt "
                "en gedragen wordt.",
                "Projectmensen en mensen in een lijnorganisatie spreken een andere taal. Neem de "
                "tijd om tot eenzelfde taal te komen.",
            ],
        ),
        (
            "Hoe voorkom je dat ambitie te dominant wordt en andere condities verdringt?",
            [
                "Dat proces in het begin soms ondergeschikt is aan ambitie is niet erg, maar "
                "neem die beslissing bewust: maak expliciet wat je nu niet doet, waarom, en "
                "wanneer je het weer oppakt.",
                "Spreek vooraf vaste pauzemomenten af om het proces te checken als het tempo "
                "hoog is.",
                "Geef iemand expliciet de rol van procesbewaker wanneer je de gezamenlijke "
                "ambitie formuleert.",
                "Houd ambitie en belang zorgvuldig uit elkaar, zodat ambitie de belangen van "
                "partijen buiten het project niet overschaduwt.",
            ],
        ),
        (
            "Hoe voorkom je verwatering van ambitie bij langdurige samenwerking?",
            [
                "Laat de procesbewaker vaste momenten inplannen voor herijking: bij "
                "fasewisselingen, mijlpalen, nieuwe besluitvormingsrondes en personeelswisselingen.",
                "Check periodiek of omgeving en moederorganisaties nog dezelfde ambitie zien.",
                "Gebruik visualisaties (roadmaps, alliantiebeginselen) als richtpunt bij "
                "personeelswisselingen.",
                "Zet de ambitie om in een gedeeld verhaal dat je intern én extern vertelt.",
            ],
        ),
        (
            "Hoe creëer je momenten om ambitie tijdig te herijken?",
            [
                "Koppel herijking aan faseovergangen, niet aan problemen.",
                "Maak ambitie-herijking een vast agendapunt van stuurgroep of alliantieboard.",
                "Laat externe reflectoren periodiek meekijken.",
            ],
        ),
    ],
    Condition.BELANGEN: [
        (
            "Hoe leg je belangen van alle partijen vroeg en open op tafel?",
            [
                "Voer aan de start van elke fase een expliciet belangenverkenningsgesprek: "
                "belangen veranderen door tijd, personen en context.",
                "Maak belangen tastbaar met reconstructies of verhalen over concrete situaties "
                "in plaats van abstracte taal.",
                "Maak ook verborgen belangen bespreekbaar, zoals risicoacceptatie, reputatie en "
                "onzekerheid over mandaat.",
            ],
        ),
        (
            "Hoe zorg je ervoor dat het gezamenlijke belang niet de belangen van "
            "moederorganisaties of omgeving overstemt?",
            [
                "Beschrijf hoe het alliantiebelang zich verhoudt tot organisatiebelangen, het "
                "maatschappelijk belang en omgevingsbelangen.",
                "Laat de opdrachtgever of een onafhankelijk reviewteam structureel en proactief "
                "toetsen of publiek en omgeving nog volledig in beeld zijn: als kwaliteitsbewaker, "
                "niet als rem.",
            ],
        ),
        (
            "Hoe verbind je individuele, organisatie- en maatschappelijke belangen zonder ze "
            "gelijk te willen maken?",
            [
                "Behandel belangen als puzzelstukken, niet als botsende eisen: dat vraagt inzicht "
                "in elkaars logica, geen consensus.",
                "Maak een belangenruil expliciet wanneer een organisatiebelang moet wijken voor "
                "het algemeen belang, zodat er geen gevoel van oneerlijkheid in de onderstroom "
                "ontstaat.",
                "Vertaal elke afweging naar drie lagen: het project, opdrachtgever en "
                "opdrachtnemer, en omgeving en maatschappij.",
            ],
        ),
        (
            "Hoe voorkom je dat belangen strategisch worden ingezet in plaats van gedeeld?",
            [
                "Creëer informele, veilige momenten voor tegenspraak, waar belangen zonder "
                "strategisch frame uitgesproken kunnen worden.",
                "Scheid belangenbespreking van besluitvorming: verschillende gesprekken met een "
                "verschillende status.",
            ],
        ),
        (
            "Hoe zorg je dat belangen in de tijd meebewegen zonder dat dit het vertrouwen schaadt?",
            [
                "Toets belangen opnieuw bij wisselingen in het team, nieuwe fasen, nieuwe "
                "risico's en bestuurlijke wisselingen.",
                "Noem veranderende belangen normaal, zodat ze niet als onbetrouwbaar worden gezien.",
                "Leg vast hoe belangen worden gewogen: transparantie voorkomt interpretatieconflicten.",
            ],
        ),
    ],
    Condition.RELATIE: [
        (
            "Hoe zorg je dat je met een sterk wij-gevoel intern, de buitenwereld niet op "
            "afstand komt te staan?",
            [
                "Samenwerken op één locatie werkt goed, maar houd bewust de luiken open door "
                "periodiek mensen van buiten uit te nodigen.",
                "Verdeel loyaliteit bewust: niet alleen aan de alliantie, ook aan publieke "
                "waarden en moederorganisaties.",
                "Betrek omgeving en stakeholders regelmatig en op verschillende niveaus: niet "
                "alleen informeren, ook spiegelen, toetsen en meenemen in dilemma's.",
                "Kijk welke alliantieprincipes je ook met partners buiten de alliantie kunt "
                "hanteren.",
                "Maak onderscheid tussen de gezamenlijke verantwoordelijkheid in de alliantie en "
                "de eigen verantwoordelijkheden van elke partij richting buitenwereld en achterban.",
            ],
        ),
    ],
    Condition.ORGANISATIE: [
        (
            "Hoe zorg je voor heldere rollen, mandaat en besluitvorming in elke fase?",
            [
                "Stel rol- en mandaatafspraken per fase opnieuw vast.",
                "Laat teamleden geregeld reflecteren op hun eigen rol: 'Wat is mijn rol op dit "
                "moment?'",
                "Leg formele besluitvormingspaden en escalaties vast en bespreek ze aan de hand "
                "van risicoanalyses.",
            ],
        ),
        (
            "Hoe voorkom je dat de alliantie te autonoom wordt of te los komt te staan van "
            "moederorganisaties?",
            [
                "Organiseer tegenkracht met onafhankelijke reviewteams.",
                "Laat opdrachtgever en opdrachtnemer toetsen of hun interne organisatie de "
                "structuur van de alliantie nog ondersteunt.",
                "Laat management en bestuurders periodiek aanhaken bij dilemma's, niet alleen "
                "bij besluitvorming.",
                "Zorg dat de alliantie onderdeel blijft van de moederorganisaties en niet "
                "andersom.",
                "Kijk als opdrachtgever vooraf eerlijk of je volwassen genoeg bent om een "
                "volwaardige partner in de alliantie te zijn.",
            ],
        ),
    ],
    Condition.PROCES: [
        (
            "Hoe creëer je een proces dat richting geeft zonder creativiteit te blokkeren?",
            [
                "Gebruik procesbewaking als ondersteunende, niet als controlerende functie: om "
                "doorschieten of afdwalen te voorkomen.",
                "Werk met kleine kaders en een vast ritme van checken, besluiten en bijsturen.",
                "Maak onderscheid tussen strakke ruimte (veiligheid, geld, omgeving, mandaat) en "
                "vrije ruimte (leren, innovatie, probleemoplossing).",
            ],
        ),
        (
            "Hoe zorg je dat tempo en proces elkaar versterken in plaats van tegenwerken?",
            [
                "Pauzeer op vaste punten om te kijken of ambitie, belangen, omgeving en risico's "
                "nog in lijn zijn: dat voorkomt reparatiewerk achteraf.",
                "Maak expliciet wanneer en waarom je het proces tijdelijk loslaat: bewust kiezen, "
                "vastleggen en daarna weer oppakken.",
                "Spreek af wat je níet versnelt, zoals het betrekken van de omgeving en "
                "juridische toetsing.",
            ],
        ),
        (
            "Hoe zorg je dat proces aansluit op (en wordt geaccepteerd door) moederorganisaties?",
            [
                "Maak zichtbaar hoe het alliantieproces werkt: onbekendheid leidt tot onbegrip, "
                "weerstand en vertraging.",
                "Toets periodiek of het proces nog past bij bestuurlijke verwachtingen.",
                "Stem niet alleen inhoud af, maar ook ritme, timing en beslislogica, binnen en "
                "buiten de alliantie.",
            ],
        ),
    ],
}


@transaction.atomic
def catalogue_install(*, evaluation) -> int:
    """Give an evaluation the default how-questions and recommendations. Returns the number added.

    Does nothing for an evaluation that already has how-questions, so the analyst's edits
    are never overwritten.
    """
    if evaluation.how_questions.exists():
        return 0
    added = 0
    for condition, questions in DEFAULT_CATALOGUE.items():
        for q_order, (question, recommendations) in enumerate(questions, start=1):
            how = HowQuestion.objects.create(
                evaluation=evaluation, condition=condition, order=q_order, text=question
            )
            Recommendation.objects.bulk_create(
                Recommendation(how_question=how, order=r_order, text=text)
                for r_order, text in enumerate(recommendations, start=1)
            )
            added += 1
    return added
