"""The five conditions for collaboration of Kaats & Opheij: the method's fixed vocabulary.

Everything that names a condition (models, forms, charts, reports) uses this enum, in
this order, which is the order of the method and of every chart axis.
"""

from django.db import models
from django.db.models import Case, F, IntegerField, Value, When
from django.db.models.lookups import Exact
from django.utils.translation import gettext_lazy as _

POINTS_TOTAL = 10
POINTS_MAX = 10


class Condition(models.TextChoices):
    AMBITIE = "ambitie", _("Ambitie")
    BELANGEN = "belangen", _("Belangen")
    RELATIE = "relatie", _("Relatie")
    ORGANISATIE = "organisatie", _("Organisatie")
    PROCES = "proces", _("Proces")

    @property
    def explanation(self) -> str:
        return str(_EXPLANATIONS[self])

    @property
    def field(self) -> str:
        """Name of the Allocation column that holds this condition's points."""
        return self.value


_EXPLANATIONS = {
    Condition.AMBITIE: _(
        "Het gezamenlijke doel: waarom werken we samen en wat willen we bereiken "
        "dat we alleen niet kunnen?"
    ),
    Condition.BELANGEN: _("Wat drijft de betrokken partijen en wat levert deelname ieder op?"),
    Condition.RELATIE: _(
        "De kwaliteit van de onderlinge verbinding, en die met partijen buiten de alliantie."
    ),
    Condition.ORGANISATIE: _(
        "De vorm en structuur: hoe verdelen we rollen, verantwoordelijkheden en mandaat?"
    ),
    Condition.PROCES: _("De manier van werken: hoe nemen we besluiten, leren we en sturen we bij?"),
}

CONDITION_FIELDS: tuple[str, ...] = tuple(c.value for c in Condition)


def condition_rank(value: str) -> int:
    """Where a stored condition code comes in the method's order (ambitie 0 … proces 4), for
    sorting in Python; an unknown code comes last. Sorting by the code itself would give the
    alphabet (Ambitie, Belangen, Organisatie, Proces, Relatie), not the method."""
    return _RANK.get(value, len(_RANK))


def condition_order(field: str = "condition") -> Case:
    """The same order as condition_rank for the database: use it in order_by() or a model's
    Meta.ordering instead of the condition field, e.g. ``order_by(condition_order(), "order")``;
    `field` is the lookup of the condition ("how_question__condition"). The cases are
    lookups on F() rather than Q(): Django prefixes F() when another model orders by this
    one through a relation (Recommendation's "how_question"), and fails on a Q."""
    return Case(
        *(When(Exact(F(field), c.value), then=Value(rank)) for rank, c in enumerate(Condition)),
        default=Value(len(Condition)),
        output_field=IntegerField(),
    )


_RANK = {c.value: rank for rank, c in enumerate(Condition)}
