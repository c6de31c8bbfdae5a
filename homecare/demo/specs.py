"""The two demo worlds: a small Lancashire one and East Lothian at county scale."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from . import names, places


@dataclass(frozen=True)
class ProviderSpec:
    name: str
    #: Names of the regions (areas) it serves.
    regions: tuple[str, ...]
    #: Relative share of the people in its regions.
    share: float
    #: Towns its workers live in and where it takes most of its work (ELOTH-3.11).
    bases: tuple[str, ...] = ()
    #: Care workers; None means enough for its visits (about 9.5 a worker a day).
    workers: int | None = None
    #: Then more workers, until every hour of every weekday holds this many times
    #: the care its visits need (None: no top-up). See ``staffing``.
    cover_peaks: float | None = None
    #: Holds the short-term block contract (lan-st) as well.
    short_term_block: bool = False
    rating: str = "good"


@dataclass(frozen=True)
class WorldSpec:
    size: str
    council: str
    nation: str
    area_kind: str
    regions: tuple[places.Region, ...]
    providers: tuple[ProviderSpec, ...]
    rulebook: str
    contract_kind: str
    contract_prefix: str
    council_id_prefix: str
    hourly_rate: Decimal
    people_mix: list
    workers_mix: list
    #: A fixed number of people, or enough for this many care hours a week.
    people: int | None = None
    weekly_care_hours: int | None = None
    #: Chance that a visit is left without workers on purpose.
    leave_open: float = 0.04

    @property
    def largest(self) -> ProviderSpec:
        """The provider the demo coordinator, manager and carer work for."""
        return max(self.providers, key=lambda p: (p.workers or 0, p.share))


SMALL = WorldSpec(
    size="small",
    council="Lancashire County Council",
    nation="england",
    area_kind="boundary",
    regions=(places.EAST_LANCASHIRE, places.CENTRAL_LANCASHIRE),
    providers=(
        ProviderSpec("Pennine View Home Care Ltd", ("East Lancashire",), 0.45, workers=15),
        ProviderSpec(
            "Ribble Bridge Care Services Ltd",
            ("Central Lancashire",),
            0.45,
            workers=15,
            rating="requires_improvement",
        ),
        ProviderSpec(
            "Red Rose Care at Home Ltd",
            ("East Lancashire", "Central Lancashire"),
            0.55,
            workers=30,
            short_term_block=True,
            rating="outstanding",
        ),
    ),
    rulebook="lan-hc",
    contract_kind="framework",
    contract_prefix="LCC-HC",
    council_id_prefix="LAS",
    hourly_rate=Decimal("23.40"),
    people_mix=names.LANCASHIRE_PEOPLE,
    workers_mix=names.LANCASHIRE_WORKERS,
    people=300,
)

_EL = ("East Lothian",)

COUNTY = WorldSpec(
    size="county",
    council="East Lothian Health and Social Care Partnership",
    nation="scotland",
    area_kind="county",
    regions=(places.EAST_LOTHIAN,),
    providers=(
        ProviderSpec(
            "Forth Coast Care at Home Ltd",
            _EL,
            0.45,
            (
                "Musselburgh",
                "Wallyford",
                "Prestonpans",
                "Port Seton",
                "Tranent",
                "Haddington",
            ),
            workers=120,
            cover_peaks=1.35,
        ),
        ProviderSpec("Lammermuir Home Support", _EL, 0.16, ("Haddington", "Dunbar", "Tranent")),
        ProviderSpec("Esk Valley Care Ltd", _EL, 0.14, ("Musselburgh", "Wallyford")),
        ProviderSpec(
            "Traprain Care Services", _EL, 0.10, ("Haddington", "Dunbar", "North Berwick")
        ),
        ProviderSpec("Bass Rock Home Care", _EL, 0.08, ("North Berwick", "Dunbar")),
        ProviderSpec(
            "Pans and Port Seton Community Care",
            _EL,
            0.07,
            ("Prestonpans", "Port Seton", "Tranent"),
            rating="requires_improvement",
        ),
        ProviderSpec("Garleton Care Partnership", _EL, 0.06, ("Haddington", "North Berwick")),
        ProviderSpec("Tyne and Esk Support at Home", _EL, 0.05, ("Musselburgh", "Tranent")),
    ),
    rulebook="eloth",
    contract_kind="framework",
    contract_prefix="ELHSCP-CAH",
    council_id_prefix="ELC",
    hourly_rate=Decimal("25.80"),
    people_mix=names.EAST_LOTHIAN_PEOPLE,
    workers_mix=names.EAST_LOTHIAN_WORKERS,
    # ELOTH-3.2: about 21,000 hours a week bought for adults and older people.
    weekly_care_hours=21_000,
)

SPECS = {"small": SMALL, "county": COUNTY}
