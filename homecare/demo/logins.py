"""One demo login per role, each with a confirmed authenticator (TOTP) device.

The TOTP keys come from the seed, so a rebuilt demo keeps the same secrets
and an authenticator app set up once keeps working.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from datetime import timedelta

from django.contrib.auth.hashers import make_password
from django.db.models import Count, Q

from homecare.accounts.models import Role, User
from homecare.accounts.services import user_enrol_totp
from homecare.packages.models import Visit, VisitAssignment

from . import names, population


@dataclass(frozen=True)
class Login:
    role: str
    username: str
    name: str
    #: The organisation they work for, or the person they follow.
    of: str
    #: Hex key (as stored) and the same secret in base32 (for authenticator apps).
    key: str

    @property
    def role_label(self) -> str:
        return Role(self.role).label

    @property
    def secret(self) -> str:
        return base64.b32encode(bytes.fromhex(self.key)).decode()


def create_logins(builder, *, rng, password: str) -> list[Login]:
    largest = builder.providers[builder.spec.largest.name]
    council = builder.council
    carer = _carer(builder, largest)
    person_plan = _followed_person(builder, carer, largest)
    daughter = population.daughter(rng, builder.ids, person_plan, council)
    if daughter._state.adding:
        daughter.save()
    wanted = [
        ("broker", Role.COUNCIL_BROKER, council, None, None),
        ("commissioner", Role.COUNCIL_COMMISSIONER, council, None, None),
        ("manager", Role.PROVIDER_MANAGER, largest, None, None),
        ("coordinator", Role.PROVIDER_COORDINATOR, largest, None, None),
        ("carer", Role.CARE_WORKER, largest, None, (carer.given_name, carer.family_name)),
        ("family", Role.FAMILY, None, person_plan.individual, tuple(daughter.name.split(" ", 1))),
    ]
    # One hash for the shared password: Argon2 is slow on purpose.
    encoded = make_password(password)
    out = []
    for username, role, organisation, individual, name in wanted:
        if name is None:
            background = names.pick_background(rng, builder.spec.workers_mix)
            name = (
                names.given_name(rng, background, female=rng.random() < 0.6, older=False),
                names.family_name(rng, background),
            )
        user = User(
            username=username,
            first_name=name[0],
            last_name=name[1],
            email=f"{username}@example.org",
            organisation=organisation,
            role=role,
            individual=individual,
        )
        user.password = encoded
        user.save()
        key = f"{rng.getrandbits(160):040x}"
        user_enrol_totp(user=user, key=key)
        if role == Role.CARE_WORKER:
            carer.user = user
            carer.save(update_fields=["user"])
        of = str(organisation) if organisation else f"follows {individual}"
        out.append(Login(role, username, f"{name[0]} {name[1]}", of, key))
    return out


def _carer(builder, provider):
    """The worker of ``provider`` with the fullest rota over today and tomorrow."""
    today, tomorrow = builder.today, builder.today + timedelta(days=1)
    rows = (
        VisitAssignment.objects.filter(organisation=provider, visit__date__in=[today, tomorrow])
        .values("worker_id")
        .annotate(
            today=Count("pk", filter=Q(visit__date=today)),
            tomorrow=Count("pk", filter=Q(visit__date=tomorrow)),
        )
    )
    best = max(
        rows,
        key=lambda r: (
            min(r["today"], r["tomorrow"]),
            r["today"] + r["tomorrow"],
            str(r["worker_id"]),
        ),
        default=None,
    )
    team = [w.worker for w in builder.workers if w.worker.organisation_id == provider.id]
    if best is None:  # only in a world too small to roster anyone
        return team[0]
    return next(w for w in team if w.id == best["worker_id"])


def _followed_person(builder, carer, provider):
    """Someone the carer visits tomorrow (or, failing that, anyone visited tomorrow)."""
    tomorrow = builder.today + timedelta(days=1)
    visit = (
        Visit.objects.filter(date=tomorrow, assignments__worker=carer)
        .order_by("planned_start")
        .first()
        or Visit.objects.filter(date=tomorrow, organisation=provider)
        .order_by("planned_start")
        .first()
        or Visit.objects.filter(organisation=provider).order_by("planned_start").first()
    )
    people = [p for p in builder.people if p.package.organisation_id == provider.id]
    if visit is None:  # only in a world too small to have visits
        return people[0]
    return next(p for p in people if p.individual.id == visit.individual_id)
