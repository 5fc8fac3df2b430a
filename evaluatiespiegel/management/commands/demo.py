"""Load a complete demo evaluation with the shape of a real Evaluatiespiegel.

Idempotent: run twice, get one demo. `--reset` deletes the demo evaluation and builds it
again. This is the only place that creates users with known passwords.
"""

import random
from datetime import date

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.management.base import BaseCommand
from django.db import transaction

from reports.catalogue import catalogue_install
from reports.defaults import report_text_for
from reports.models import ConclusionTheme, ContractTheme, Paradox, ReportKind
from reports.outline import outline_for, preset_apply
from scoring.conditions import CONDITION_FIELDS, POINTS_TOTAL, Condition
from scoring.models import Allocation, AllocationChange
from sessions.models import (
    Evaluation,
    EvaluationMember,
    KeyMoment,
    Participant,
    Phase,
    ReconstructionSession,
    Role,
    SessionState,
)
from sessions.permissions import CREATE_PERMISSION
from sessions.planner import group_plan

DEMO_SLUG = "demo-markermeerdijken"
DEMO_JOIN_CODE = "DMMD25"
DEMO_USERS = {
    # username: (password, role, full name)
    "facilitator": ("spiegel-facilitator", EvaluationMember.Role.FACILITATOR, "Fenna Faber"),
    "analist": ("spiegel-analist", EvaluationMember.Role.ANALYST, "Anouk Alders"),
}
SEED = 20251204

KEY_MOMENTS = [
    (
        Phase.START,
        "2015",
        "Handtekening onder de alliantieovereenkomst",
        "Opdrachtgever en aannemerscombinatie kiezen voor één alliantie voor plan- én "
        "realisatiefase, en leggen de alliantiebeginselen vast.",
    ),
    (
        Phase.VORMGEVING,
        "2016–2017",
        "Het projectplan en het eerste dijkontwerp",
        "Het alliantieteam werkt het ontwerp uit en richt de eigen organisatie in, met een "
        "eigen gezicht en werkwijze.",
    ),
    (
        Phase.CRISIS,
        "2018–2019",
        "Het beroep bij de Raad van State",
        "Een juridische procedure zet de planning onder druk; de alliantie moet doorwerken "
        "zonder te weten hoe het afloopt.",
    ),
    (
        Phase.UITVOERING,
        "2019–2021",
        "Start van de uitvoering langs de dijkvakken",
        "Van tekentafel naar dijk: aannemers, omwonenden en beheerder krijgen dagelijks met "
        "het werk te maken.",
    ),
    (
        Phase.CRISIS,
        "2021",
        "Scopewijziging na nieuwe technische inzichten",
        "Onderzoek laat zien dat een deel van het ontwerp anders moet; budget en planning "
        "moeten opnieuw worden afgewogen.",
    ),
    (
        Phase.SLOT,
        "2024–2025",
        "Overdracht aan beheer en afbouw van het alliantieteam",
        "Opleveren aan de beheerder, kennis overdragen en het team afbouwen terwijl het "
        "laatste werk nog loopt.",
    ),
]

VERTELLER_ORGS = ["Hoogheemraadschap", "Alliantiebureau", "Aannemerscombinatie", "Ingenieursbureau"]
REFLECTOR_ORGS = [
    "Rijkswaterstaat",
    "Waterschap Rivierenland",
    "Provincie Gelderland",
    "ProRail",
    "Gemeente Rotterdam",
    "Havenbedrijf",
    "Adviesbureau Kustlijn",
    "Bouwcombinatie Delta",
]
FIRST_NAMES = [
    "Anne", "Bas", "Carlijn", "Daan", "Eva", "Floris", "Gerrit", "Hanneke", "Ilse", "Jeroen",
    "Karin", "Lotte", "Maarten", "Nadia", "Olaf", "Petra", "Quirine", "Ruben", "Sanne", "Thijs",
    "Ursula", "Vincent", "Wendy", "Xander", "Yvonne", "Zeger", "Aylin", "Bram", "Chantal", "Dirk",
    "Esther", "Frank", "Gijs", "Hester", "Ivo",
]  # fmt: skip
LAST_NAMES = [
    "de Vries", "Jansen", "Bakker", "Visser", "Smit", "Meijer", "de Boer", "Mulder", "de Groot",
    "Bos", "Vos", "Peters", "Hendriks", "van Leeuwen", "Dekker", "Brouwer", "de Wit", "Dijkstra",
    "Smits", "de Graaf", "van der Meer", "van der Linden", "Kok", "Jacobs", "de Haan", "Vermeulen",
    "van den Berg", "van Dijk", "Schouten", "Hoekstra", "van Wijk", "Postma", "Kuipers", "Veenstra",
    "Prins",
]  # fmt: skip

# Where the energy sat, per role, in points out of 10 (before per-moment shifts). Ambitie
# and Relatie strong, Proces weak; vertellers rate Relatie higher and Belangen lower than
# the reflectoren who look from outside.
ROLE_PROFILE = {
    Role.VERTELLER: {"ambitie": 3.0, "belangen": 1.2, "relatie": 3.4, "organisatie": 1.6, "proces": 0.8},
    Role.REFLECTOR: {"ambitie": 3.0, "belangen": 2.3, "relatie": 1.9, "organisatie": 1.9, "proces": 0.9},
}  # fmt: skip
PHASE_SHIFT = {
    Phase.START: {"ambitie": 0.8, "proces": -0.3},
    Phase.VORMGEVING: {"organisatie": 0.7, "ambitie": -0.3},
    Phase.CRISIS: {"relatie": 0.5, "proces": -0.3, "belangen": -0.2},
    Phase.UITVOERING: {"proces": 0.6, "organisatie": 0.3, "ambitie": -0.4},
    Phase.SLOT: {"belangen": 0.5, "ambitie": -0.6, "organisatie": 0.3},
}

PARADOXES = {
    Condition.AMBITIE: (
        "Sterke motor versus zorgvuldig proces",
        "In elk sleutelmoment zat de energie in de ambitie: de wil om de dijk én de "
        'samenwerking te laten slagen. "Als het niet kan zoals het moet, dan moet het maar '
        'zoals het kan," zei een verteller.\n\nDie ambitie gaf tempo en doorzettingsvermogen, '
        "maar soms ook haast, waarna er achteraf gerepareerd moest worden.",
        "Ambitie geeft samenwerking richting en energie. Wordt ze te sterk, dan trekt ze de "
        "andere condities uit balans: er blijft minder ruimte voor proces, zorgvuldigheid en "
        "het betrekken van andere belangen.",
    ),
    Condition.BELANGEN: (
        "Goed voor het project versus goed voor de samenleving",
        "Binnen de alliantie gaat het projectbelang boven het organisatiebelang, van hoog tot "
        'laag. Reflectoren vroegen steeds: "Waar zit het publieke belang in deze afweging?"',
        "Samenwerking ontstaat pas als partijen hun belangen open naast elkaar leggen. Te veel "
        "nadruk op het gedeelde projectbelang kan omgevings- en maatschappelijke belangen uit "
        "beeld duwen.",
    ),
    Condition.RELATIE: (
        "Wij-gevoel versus verbinding met de omgeving",
        "Vertrouwen, gelijkwaardigheid en plezier kleuren alle reconstructies. In moeilijke "
        'tijden vormde het team een sterk blok, maar "hoe sterker de relatie binnen, hoe '
        'lastiger de relatie met buiten."',
        "Een sterke relationele basis helpt spanning te verdragen. Tegelijk kan een hecht "
        "verband naar binnen gekeerd raken, waardoor externe partijen zich minder gezien "
        "voelen.",
    ),
    Condition.ORGANISATIE: (
        "Slagkracht van de alliantie versus tegenkracht van de moederorganisatie",
        "De alliantie werd een flinke organisatie met een eigen identiteit. De opdrachtgever "
        "kreeg daardoor minder eigen mensen in het team dan beoogd, en de publieke "
        "vertegenwoordiging werd dun.",
        "Een eigen organisatievorm maakt snel handelen mogelijk. Wordt die te autonoom ten "
        "opzichte van de moederorganisaties, dan komen mandaat, zichtbaarheid en borging van "
        "publieke belangen onder druk.",
    ),
    Condition.PROCES: (
        "Flexibiliteit versus rolduidelijkheid",
        "De alliantiebeginselen waren het kompas: iedereen werkte als één team en kreeg ruimte "
        "in de eigen rol. Voor de buitenwereld was die ruimte soms verwarrend: wie besliste "
        "waarover?",
        "Proces verbindt de andere condities met het dagelijkse handelen. Naarmate een project "
        "vordert, worden rolvastheid, besluitvorming en afstemming met de moederorganisaties "
        "belangrijker dan vrije ruimte.",
    ),
}

REPORT_COVER = {
    "report_date": "December 2025",
    "analyst": "Anouk Alders",
    "publisher": "Academie voor samenwerken (demo)",
    "publisher_line2": "Netwerk voor publieke opdrachtgevers",
    "tagline": "Condities voor samenwerken in en met allianties",
    "running_header": "publisher",
}

# The report's texts, by the slot of their block in the outline (reports.presets).
REPORT_TEXTS = {
    "introduction": (
        "Na tien jaar samenwerken aan de versterking van de dijk kijkt de alliantie terug. "
        "Vrijwel iedereen is het erover eens dat de opgave zonder alliantie niet gelukt was. "
        "De vraag is dus niet óf de alliantie werkte, maar wat haar droeg en wat het kostte.\n\n"
        "> Samenwerken vraagt dat je een deel van je eigen zekerheid loslaat, zonder precies "
        "te weten wat je ervoor terugkrijgt.\n\n"
        "In drie dagen keken vakgenoten uit het netwerk samen met de alliantie naar zes "
        "sleutelmomenten. Dit rapport vat samen wat dat opleverde."
    ),
    "reason": (
        "De opdrachtgever koos destijds voor een alliantie voor plan- én realisatiefase, omdat "
        "omvang, complexiteit en onzekerheid een traditionele contractvorm onwerkbaar maakten. "
        "Tien jaar later wil het managementteam weten hoe die keuze in de praktijk heeft "
        "uitgepakt, en wat anderen ervan kunnen leren.\n\n"
        "Deze Evaluatiespiegel is nadrukkelijk geen audit, maar een leertraject."
    ),
    "goal": (
        "Dit rapport vertaalt de praktijkervaring van deze alliantie naar vragen die elke "
        "alliantie zich kan stellen bij het opstarten en onderhouden van de samenwerking. "
        "Het is bedoeld als gespreksstarter, niet als afwegingskader voor de keuze van een "
        "contractvorm."
    ),
    "contract_intro": (
        "Tijdens de reconstructies kwam regelmatig de vraag op hoe het sleutelmoment in een "
        "andere contractvorm was verlopen. We zetten de inzichten kort op een rij."
    ),
    "contract_conclusion": (
        "De alliantie is sterk in gezamenlijke ambitie, flexibiliteit en het delen van risico's, "
        "maar vraagt blijvend aandacht voor externe belangen. D&C is formeler en loopt eerder "
        "vast bij onverwachte veranderingen. Beide vormen hebben hun eigen valkuilen."
    ),
    "conclusion_intro": (
        "Uit de Evaluatiespiegel en de verdieping met de theorie komen drie thema's naar voren."
    ),
    "closing": (
        "Dit rapport is gebaseerd op de dialogen tijdens de reconstructiesessies en de "
        "slotdialoog. Dank aan alle vertellers voor hun openheid en aan de reflectoren voor "
        "hun scherpe blik.\n\n"
        "*Dit is een demonstratie-evaluatie met verzonnen gegevens.*"
    ),
}

CONTRACT_THEMES = [
    (
        "Flexibiliteit",
        "Bood ruimte om samen door te werken toen een juridische procedure de planning "
        "onzeker maakte.",
        "Wordt als star ervaren: het werk had waarschijnlijk langere tijd stilgelegen.",
    ),
    (
        "Gezamenlijke risicodragers",
        "Risico's werden samen gedragen; bij problemen zocht men samen naar oplossingen.",
        "Risico's zijn contractueel gescheiden; discussie en claims liggen eerder op de loer.",
    ),
    (
        "Escalatie en besluitvorming",
        "Sneller en informeler, mits de escalatielijnen helder zijn afgesproken.",
        "Escalatie is juridischer en verloopt via contractuele procedures.",
    ),
]

CONCLUSION_THEMES = [
    (
        "De alliantie als eigen entiteit, met kracht én kwetsbaarheid",
        "Een sterk wij-gevoel helpt complexe vraagstukken op te lossen. Tegelijk groeit de "
        "afstand tot moederorganisaties, bestuur en omgeving. Dat is geen falen, maar een "
        "logisch gevolg van intensief samenwerken dat bewuste aandacht vraagt.",
    ),
    (
        "Onderhoud gedurende de hele levenscyclus",
        "Elke sterkte kan een zwakte worden. De start vraagt om een andere samenwerking dan "
        "de uitvoering, het slot of een crisis. Regelmatig herijken geeft rust en wendbaarheid.",
    ),
    (
        "Aandacht voor de rol van de publieke opdrachtgever",
        "Een opdrachtgever is partner, opdrachtgever, financier en toekomstig beheerder "
        "tegelijk. Dat vraagt vooraf om duidelijkheid over mandaat en rolverdeling.",
    ),
]

NOTE_TEMPLATES = {
    "reconstruction": (
        "De vertellers schetsten hoe het sleutelmoment '{km}' verliep: wie er aan tafel zaten, "
        "welke keuzes er onder tijdsdruk werden gemaakt en hoe het alliantieteam daar samen "
        "doorheen ging."
    ),
    "reflections": (
        "De reflectoren zagen veel energie in de gezamenlijke ambitie, maar vroegen door op de "
        "positie van de omgeving en op wie er uiteindelijk besliste."
    ),
    "insights": (
        "Wat binnen de alliantie vanzelfsprekend voelde, was voor de moederorganisaties en de "
        "omgeving niet altijd zichtbaar."
    ),
    "lessons": (
        "- Maak expliciet welke afspraken je tijdelijk loslaat, en wanneer je ze weer oppakt.\n"
        "- Betrek de moederorganisaties bij dilemma's, niet alleen bij besluiten."
    ),
}


WALL_PARADOX = [
    "Onze ambitie trok iedereen mee, maar over hoe we besloten spraken we pas na een jaar.",
    "Bij de start wilden we vooral snel: het procesontwerp kwam later, en dat voelden we.",
    "De ambitie hing aan de muur van de keet; bestuurders kenden haar niet.",
    "Pas toen we een procesbewaker aanwezen, durfden we af te remmen.",
]
WALL_RECOMMENDATIONS = [
    "Herijk de ambitie bij elke fasewissel, met de bestuurders erbij.",
    "Vertel de ambitie als een verhaal dat nieuwe collega's kunnen navertellen.",
    "Spreek af wanneer je bewust even níet aan de ambitie werkt.",
]


class Command(BaseCommand):
    help = "Laadt een complete demo-evaluatie met gebruikers, sessies en scores."

    def add_arguments(self, parser):
        parser.add_argument(
            "--reset", action="store_true", help="Verwijder de demo-evaluatie en bouw haar opnieuw."
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Laad de demo alleen als de database nog geen andere evaluaties bevat.",
        )

    def handle(self, *args, reset: bool, if_empty: bool, **options):
        if if_empty and Evaluation.objects.exclude(slug=DEMO_SLUG).exists():
            self.stdout.write("De database bevat al evaluaties; de demo is niet geladen.")
            return
        with transaction.atomic():
            users = self._users()
            existing = Evaluation.objects.filter(slug=DEMO_SLUG).first()
            if existing and reset:
                existing.delete()
                existing = None
            evaluation = existing or self._build(random.Random(SEED))
            for username, (_password, role, _name) in DEMO_USERS.items():
                EvaluationMember.objects.get_or_create(
                    evaluation=evaluation, user=users[username], defaults={"role": role}
                )
        self._print_summary(evaluation, created=existing is None)

    def _users(self) -> dict:
        """The demo's team: no staff status, no admin; the facilitator may create evaluations.

        What each role may do comes from its membership (sessions.permissions); the only
        Django permission a team member needs is the one to create evaluations.
        """
        User = get_user_model()
        app_label, codename = CREATE_PERMISSION.split(".")
        create = Permission.objects.get(content_type__app_label=app_label, codename=codename)
        users = {}
        for username, (password, role, full_name) in DEMO_USERS.items():
            user, _ = User.objects.get_or_create(username=username)
            first, last = full_name.split(" ", 1)
            user.first_name, user.last_name = first, last
            user.is_staff = False
            user.is_superuser = False
            user.set_password(password)
            user.save()
            user.user_permissions.set([create] if role == EvaluationMember.Role.FACILITATOR else [])
            users[username] = user
        return users

    def _build(self, rng: random.Random) -> Evaluation:
        evaluation = Evaluation.objects.create(
            title="Alliantie Markermeerdijken (demo)",
            slug=DEMO_SLUG,
            client="Hoogheemraadschap (opdrachtgever)",
            contractor="Aannemerscombinatie (opdrachtnemer)",
            description=(
                "Tien jaar alliantie voor de versterking van een dijktraject van 33 kilometer: "
                "wat heeft de samenwerking gedragen, en wat kan het netwerk ervan leren?"
            ),
            central_questions=(
                "Hoe heeft de alliantie gedurende het project gefunctioneerd?\n"
                "Wat zien we als kritische faal- en succesfactoren voor allianties in het "
                "algemeen?\n"
                "Hoe verhouden allianties zich tot andere contractvormen, zoals D&C?"
            ),
            starts_on=date(2025, 10, 7),
            ends_on=date(2025, 10, 9),
            join_code=DEMO_JOIN_CODE,
            self_registration=True,
        )
        key_moments = [
            KeyMoment.objects.create(
                evaluation=evaluation,
                order=order,
                phase=phase,
                period=period,
                title=title,
                description=description,
            )
            for order, (phase, period, title, description) in enumerate(KEY_MOMENTS, start=1)
        ]
        participants = self._participants(evaluation, rng)
        self._sessions(evaluation, key_moments, participants, rng)
        for condition, (title, practice, theory) in PARADOXES.items():
            Paradox.objects.create(
                evaluation=evaluation,
                condition=condition,
                title=title,
                practice=practice,
                theory=theory,
            )
        catalogue_install(evaluation=evaluation)
        self._report(evaluation)
        self._wall(evaluation, participants, rng)
        return evaluation

    @staticmethod
    def _wall(evaluation: Evaluation, participants, rng: random.Random) -> None:
        """The slotdialoog under way: the default prompts set out, the paradox of Ambitie
        written on, voted on and closed with its stippen shown, and the first how-question
        open for recommendations."""
        from sessions.wall import (
            contribution_submit,
            prompt_state_set,
            prompts_default_create,
            vote_cast,
        )

        prompts_default_create(evaluation=evaluation)
        paradox = evaluation.prompts.get(key="paradox:ambitie")
        question = evaluation.prompts.filter(key__startswith="hoevraag:").order_by("pk").first()
        writers = rng.sample(list(participants), len(WALL_PARADOX) + len(WALL_RECOMMENDATIONS))
        for prompt, texts in ((paradox, WALL_PARADOX), (question, WALL_RECOMMENDATIONS)):
            prompt_state_set(prompt=prompt, action="open")
            cards = [
                contribution_submit(
                    participant=writers.pop(), prompt_id=prompt.pk, text=text, client_token="demo"
                )[0]
                for text in texts
            ]
            for voter in rng.sample(list(participants), 12):
                for card in rng.sample(cards, 2):
                    if card.participant_id != voter.pk:
                        vote_cast(participant=voter, contribution_id=card.pk)
        prompt_state_set(prompt=paradox, action="close")
        prompt_state_set(prompt=paradox, action="reveal")

    @staticmethod
    def _report(evaluation: Evaluation) -> None:
        text = report_text_for(evaluation)
        for field, value in REPORT_COVER.items():
            setattr(text, field, value)
        text.save()
        outline = outline_for(evaluation, ReportKind.EINDRAPPORT)
        preset_apply(outline=outline, preset=outline.preset, texts=REPORT_TEXTS)
        for order, (title, alliance, other) in enumerate(CONTRACT_THEMES, start=1):
            ContractTheme.objects.create(
                evaluation=evaluation, order=order, title=title, alliance=alliance, other=other
            )
        for order, (title, body) in enumerate(CONCLUSION_THEMES, start=1):
            ConclusionTheme.objects.create(
                evaluation=evaluation, order=order, title=title, text=body
            )

    def _participants(self, evaluation: Evaluation, rng: random.Random) -> list[Participant]:
        names = [f"{first} {last}" for first, last in zip(FIRST_NAMES, LAST_NAMES, strict=True)]
        rng.shuffle(names)
        people = []
        for index, name in enumerate(names):
            role = Role.VERTELLER if index < 15 else Role.REFLECTOR
            orgs = VERTELLER_ORGS if role == Role.VERTELLER else REFLECTOR_ORGS
            people.append(
                Participant(
                    evaluation=evaluation, name=name, organisation=rng.choice(orgs), role=role
                )
            )
        return Participant.objects.bulk_create(people)

    def _sessions(self, evaluation, key_moments, participants, rng: random.Random) -> None:
        """Three days, two rounds a day, two parallel groups per round, from the group planner.

        Each day covers two key moments, one per group in both rounds; the planner mixes the
        room anew every round, so each participant reconstructs every key moment once, in
        changing company. The last round of day 3 has not happened yet: it waits in
        voorbereiding.
        """
        chosen = {
            (day, slot, group): key_moments[2 * day - 2 + group]
            for day in (1, 2, 3)
            for slot in (1, 2)
            for group in (0, 1)
        }
        plan = group_plan(
            evaluation=evaluation, days=3, rounds=2, groups=2, key_moments=chosen, seed=SEED
        )
        for planned in plan.groups:
            day, slot, key_moment, group = (
                planned.day,
                planned.round,
                planned.key_moment,
                planned.members,
            )
            upcoming = day == 3 and slot == 2 and planned.group == 1
            session = ReconstructionSession.objects.create(
                evaluation=evaluation,
                key_moment=key_moment,
                day=day,
                slot=slot,
                room=planned.label,
                state=SessionState.VOORBEREIDING if upcoming else SessionState.OPEN,
                **({} if upcoming else self._notes(key_moment)),
            )
            session.participants.set(group)
            if upcoming:
                continue
            allocations = Allocation.objects.bulk_create(
                Allocation(
                    session=session,
                    participant=person,
                    **self._allocation(person.role, key_moment.phase, rng),
                )
                for person in group
            )
            AllocationChange.objects.bulk_create(
                AllocationChange(
                    session=session,
                    participant=a.participant,
                    new_points=a.points,
                    changed_by=a.participant.name,
                )
                for a in allocations
            )
            session.state = SessionState.GESLOTEN
            session.save(update_fields=["state"])

    @staticmethod
    def _notes(key_moment: KeyMoment) -> dict[str, str]:
        return {field: text.format(km=key_moment.title) for field, text in NOTE_TEMPLATES.items()}

    @staticmethod
    def _allocation(role: str, phase: str, rng: random.Random) -> dict[str, int]:
        """Ten points drawn one by one with the role's weights: always exactly 10, each 0..10."""
        weights = dict(ROLE_PROFILE[role])
        for field, shift in PHASE_SHIFT[phase].items():
            weights[field] = max(0.1, weights[field] + shift)
        draws = rng.choices(
            CONDITION_FIELDS, weights=[weights[f] for f in CONDITION_FIELDS], k=POINTS_TOTAL
        )
        return {field: draws.count(field) for field in CONDITION_FIELDS}

    def _print_summary(self, evaluation: Evaluation, created: bool) -> None:
        verb = "aangemaakt" if created else "bestaat al (gebruik --reset om opnieuw te beginnen)"
        self.stdout.write(self.style.SUCCESS(f"Demo-evaluatie '{evaluation.title}' {verb}."))
        self.stdout.write(
            f"  {evaluation.key_moments.count()} sleutelmomenten, "
            f"{evaluation.participants.count()} deelnemers "
            f"(van wie {evaluation.participation().took_part} meededen), "
            f"{evaluation.sessions.count()} sessies, "
            f"{Allocation.objects.counted().filter(session__evaluation=evaluation).count()} "
            "puntenverdelingen"
        )
        self.stdout.write(f"  Deelnamecode: {evaluation.join_code}")
        for username, (password, role, _name) in DEMO_USERS.items():
            self.stdout.write(f"  Login {role.label}: {username} / {password}")
