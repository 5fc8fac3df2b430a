"""Plan every group of an evaluation from the command line (the same planner as the app)."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from sessions.models import Evaluation
from sessions.planner import PLAN_SHAPE, group_plan, group_plan_save


class Command(BaseCommand):
    help = (
        "Stelt alle groepen van een evaluatie voor (dagen × rondes × groepen) en drukt ze af "
        "met een samenvatting; --opslaan maakt de sessies aan."
    )

    def add_arguments(self, parser):
        parser.add_argument("evaluation", help="De korte naam (slug) van de evaluatie.")
        for part in PLAN_SHAPE:
            parser.add_argument(f"--{part.name}", type=int, default=part.default, help=part.help)
        parser.add_argument("--opslaan", action="store_true", help="Maak de sessies aan.")

    def handle(self, *args, evaluation: str, dagen: int, rondes: int, groepen: int, **options):
        found = Evaluation.objects.filter(slug=evaluation).first()
        if found is None:
            raise CommandError(f"Geen evaluatie met korte naam '{evaluation}'.")
        try:
            plan = group_plan(evaluation=found, days=dagen, rounds=rondes, groups=groepen)
            for day, rnd, row in plan.grid():
                self.stdout.write(f"Dag {day}, ronde {rnd}")
                for group in row:
                    names = ", ".join(p.name for p in group.members)
                    self.stdout.write(
                        f"  {group.label} · {group.key_moment.title} "
                        f"({group.vertellers} V + {group.reflectoren} R): {names}"
                    )
            self.stdout.write("")
            for line in plan.summary.lines():
                self.stdout.write(line)
            if options["opslaan"]:
                created = group_plan_save(evaluation=found, plan=plan)
                self.stdout.write(self.style.SUCCESS(f"{len(created)} sessies aangemaakt."))
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
