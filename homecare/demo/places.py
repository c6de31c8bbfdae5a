"""Real towns, outward codes and streets for synthetic addresses.

Coordinates are town centres (WGS84); a home is placed at random within a
small radius, kept inland where the sea lies to the north. Outward codes are
real; inward codes are random but well formed, so a postcode is plausible
without pointing at anyone's door. Telephone numbers come from Ofcom's
ranges reserved for drama (0131 496 0xxx, 0161 496 0xxx), which are never
given to a subscriber.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from decimal import Decimal

# Inward-code letters: C, I, K, M, O and V are never used (BS 7666).
_INWARD_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"


@dataclass(frozen=True)
class Town:
    name: str
    outward: str
    latitude: float
    longitude: float
    radius_km: float
    streets: tuple[str, ...]
    #: How far north of the centre a home may be (the coast), in km.
    north_km: float = 99.0


@dataclass(frozen=True)
class Region:
    area_name: str
    towns: tuple[Town, ...]
    #: Drama-range telephone prefix (E.164 without the last three digits).
    phone_prefix: str

    @property
    def outward_codes(self) -> list[str]:
        return sorted({t.outward for t in self.towns})


def _s(text: str) -> tuple[str, ...]:
    return tuple(s.strip() for s in text.split(",") if s.strip())


_LANCS_PHONE = "+441614960"
_LOTHIAN_PHONE = "+441314960"

EAST_LANCASHIRE = Region(
    area_name="East Lancashire",
    phone_prefix=_LANCS_PHONE,
    towns=(
        Town(
            "Blackburn",
            "BB1",
            53.7580,
            -2.4680,
            1.6,
            _s(
                "Whalley New Road, Whalley Range, Shear Brow, Audley Range, Accrington Road, "
                "Burnley Road, Intack Lane, Roe Lee Park, Brookhouse Lane, Cob Wall"
            ),
        ),
        Town(
            "Blackburn",
            "BB2",
            53.7390,
            -2.5050,
            1.6,
            _s(
                "Preston New Road, Revidge Road, Bolton Road, Livesey Branch Road, Redlam, "
                "Buncer Lane, Cherry Tree Lane, Moorgate, Mill Hill Street, Green Lane"
            ),
        ),
        Town(
            "Darwen",
            "BB3",
            53.6970,
            -2.4640,
            1.5,
            _s(
                "Bolton Road, Blackburn Road, Marsh House Lane, Lower Barn Street, "
                "Hoddlesden Road, Earnsdale Road, Belgrave Road, Sudell Road"
            ),
        ),
        Town(
            "Accrington",
            "BB5",
            53.7530,
            -2.3650,
            1.5,
            _s(
                "Blackburn Road, Manchester Road, Whalley Road, Burnley Road, Avenue Parade, "
                "Union Road, Willows Lane, Hollins Lane"
            ),
        ),
        Town(
            "Great Harwood",
            "BB6",
            53.7850,
            -2.4060,
            1.0,
            _s(
                "Queen Street, Blackburn Road, Church Street, Lomax Street, Park Road, "
                "St Hubert's Road"
            ),
        ),
    ),
)

CENTRAL_LANCASHIRE = Region(
    area_name="Central Lancashire",
    phone_prefix=_LANCS_PHONE,
    towns=(
        Town(
            "Preston",
            "PR1",
            53.7600,
            -2.7000,
            1.5,
            _s(
                "Deepdale Road, Ribbleton Lane, London Road, Frenchwood Avenue, Garstang Road, "
                "Fishergate Hill, Meadow Street, St George's Road"
            ),
        ),
        Town(
            "Preston",
            "PR2",
            53.7850,
            -2.6950,
            2.0,
            _s(
                "Watling Street Road, Black Bull Lane, Lytham Road, Tag Lane, Sharoe Green Lane, "
                "Ribbleton Avenue, Blackpool Road, Woodplumpton Road"
            ),
        ),
        Town(
            "Bamber Bridge",
            "PR5",
            53.7260,
            -2.6630,
            1.5,
            _s(
                "Station Road, Brownedge Road, Wigan Road, Church Road, Todd Lane North, "
                "Chorley Road, Lostock Lane"
            ),
        ),
        Town(
            "Chorley",
            "PR7",
            53.6500,
            -2.6320,
            1.8,
            _s(
                "Pall Mall, Bolton Road, Harpers Lane, Lyons Lane, Devonshire Road, Carr Lane, "
                "Collingwood Road, Park Road"
            ),
        ),
    ),
)

EAST_LOTHIAN = Region(
    area_name="East Lothian",
    phone_prefix=_LOTHIAN_PHONE,
    towns=(
        Town(
            "Musselburgh",
            "EH21",
            55.9410,
            -3.0530,
            1.2,
            _s(
                "High Street, North High Street, Inveresk Road, Pinkie Road, Eskside West, "
                "Millhill, Newbigging, Linkfield Road, Bridge Street, Stoneyhill Drive"
            ),
            0.3,
        ),
        Town(
            "Wallyford",
            "EH21",
            55.9395,
            -3.0120,
            0.6,
            _s("Salters Road, Albert Place, Fa'side Avenue, Wallyford Loan Road"),
        ),
        Town(
            "Prestonpans",
            "EH32",
            55.9560,
            -2.9760,
            0.8,
            _s(
                "High Street, Preston Road, Prestongrange Road, West Loan, Gardiner Place, "
                "Polwarth Terrace, Ayres Wynd"
            ),
            0.1,
        ),
        Town(
            "Port Seton",
            "EH32",
            55.9650,
            -2.9500,
            0.7,
            _s("Edinburgh Road, Gosford Road, Elcho Place, Links Road, Seton Place"),
            0.2,
        ),
        Town(
            "Tranent",
            "EH33",
            55.9440,
            -2.9550,
            1.0,
            _s(
                "High Street, Church Street, Ormiston Road, Winton Place, Elphinstone Road, "
                "Loch Road, Sanderson's Wynd, Haddington Road"
            ),
        ),
        Town(
            "Haddington",
            "EH41",
            55.9560,
            -2.7800,
            1.0,
            _s(
                "Court Street, Market Street, Hardgate, Church Street, Knox Place, Meadowpark, "
                "Victoria Road, Sidegate"
            ),
        ),
        Town(
            "Dunbar",
            "EH42",
            55.9990,
            -2.5170,
            0.9,
            _s(
                "High Street, Belhaven Road, Queen's Road, Countess Road, Lammermuir Crescent, "
                "Bayswell Road, Spott Road"
            ),
            0.2,
        ),
        Town(
            "North Berwick",
            "EH39",
            56.0550,
            -2.7200,
            0.9,
            _s(
                "High Street, Dirleton Avenue, St Baldred's Road, Quality Street, Forth Street, "
                "Lochbridge Road, Station Road"
            ),
            0.1,
        ),
    ),
)


@dataclass(frozen=True)
class Address:
    line_1: str
    town: str
    postcode: str
    latitude: Decimal
    longitude: Decimal


def postcode(rng: random.Random, outward: str) -> str:
    inward = f"{rng.randint(1, 9)}{rng.choice(_INWARD_LETTERS)}{rng.choice(_INWARD_LETTERS)}"
    return f"{outward} {inward}"


def point_near(rng: random.Random, town: Town) -> tuple[Decimal, Decimal]:
    """A point within ``town.radius_km`` of the centre, no further north than the coast."""
    distance = town.radius_km * math.sqrt(rng.random())
    angle = rng.random() * 2 * math.pi
    north = min(distance * math.sin(angle), town.north_km)
    east = distance * math.cos(angle)
    lat = town.latitude + north / 111.2
    lon = town.longitude + east / (111.32 * math.cos(math.radians(town.latitude)))
    return Decimal(f"{lat:.6f}"), Decimal(f"{lon:.6f}")


def address(rng: random.Random, region: Region, *, flat_chance: float = 0.15) -> Address:
    town = rng.choice(region.towns)
    street = rng.choice(town.streets)
    number = rng.randint(1, 180)
    line = (
        f"Flat {rng.randint(1, 24)}, {number} {street}"
        if rng.random() < flat_chance
        else (f"{number} {street}")
    )
    lat, lon = point_near(rng, town)
    return Address(line, town.name, postcode(rng, town.outward), lat, lon)


def telephone(rng: random.Random, region: Region) -> str:
    return f"{region.phone_prefix}{rng.randint(0, 999):03d}"


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Distance on a local flat map (equirectangular): within a county, close enough
    to choosing by great-circle distance, and cheap enough to run a million times."""
    dy = (lat2 - lat1) * 111.2
    dx = (lon2 - lon1) * 111.32 * math.cos(math.radians((lat1 + lat2) / 2))
    return math.hypot(dx, dy)
