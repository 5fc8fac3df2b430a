"""The five conditions for collaboration of Kaats & Opheij: the method's fixed vocabulary.

Everything that names a condition (models, forms, charts, reports) uses this enum, in
this order, which is the order of the method and of every chart axis.
"""

from django.db import models
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
