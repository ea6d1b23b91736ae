"""Curated places the geo tests add to the gazetteer, as a theatre pack's places.csv would."""

from __future__ import annotations

from truce.core.models import Place
from truce.core.vocab import GeoPrecision


class AliasedPlace(Place):
    """A place with the aliases a pack gives it (`Gazetteer.with_extras` reads them)."""

    aliases: tuple[str, ...] = ()


SUBURBS = AliasedPlace(
    id="test:dahieh",
    name="Dahieh",
    country="LB",
    latitude=33.852,
    longitude=35.511,
    feature_code="PPLX",
    geo_precision=GeoPrecision.NEAR_OR_PART,
    aliases=("Dahiyeh", "southern suburbs of Beirut", "Beirut's southern suburbs", "الضاحية"),
)
