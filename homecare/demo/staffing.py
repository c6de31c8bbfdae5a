"""A provider staffed like a real one, and each person's regular team.

Plain data in, plain data out (no database).

* :func:`short_hours` / :func:`top_up_shifts`: a provider that covers its care
  holds, in every hour of every weekday, more shift time than its visits need
  in that hour (care is bunched at breakfast, lunch, tea and bed time, so the
  peaks decide the headcount, not the week's total). The builder adds workers
  on the shift pattern that covers the shortest hour until every hour is
  covered ``ratio`` times.
* :func:`regular_teams`: each person's regular team as a coordinator builds it
  over the weeks (KENT-8.1: at most ``team_target`` workers, ``team_max`` for a
  package with double-handed visits or blocks): workers who suit the person
  (gender preference, skills), live nearby, and are on shift at the times the
  person's visits fall, with spares for every visit time so that a day off
  does not leave it to a stranger, and no worker's regular work piled into one
  hour beyond what one person can do.
"""

from __future__ import annotations

from collections import defaultdict

from .places import distance_km

#: Minutes of care in one hour that one worker can take on as regular work
#: (the rest of the hour goes on travel and the odd visit outside their teams).
HOUR_CAPACITY = 40
#: Team members on shift wanted for each visit beyond the workers it needs.
SPARES = 2
#: How many of the nearest suitable workers are considered for a team.
NEAREST = 40


def _minutes(t) -> int:
    return t.hour * 60 + t.minute


def visit_lines(plan):
    """A person's weekly visit lines as (weekday, start, end, workers, skills)."""
    return [
        (
            line.weekday,
            _minutes(line.start_time),
            _minutes(line.start_time) + line.duration_minutes,
            line.workers_required,
            frozenset(line.skills),
        )
        for line in plan.needs.lines
        if line.kind == "visit"
    ]


def need_by_hour(plans) -> list[list[float]]:
    """[weekday][hour]: worker-minutes of visits in that hour."""
    need = [[0.0] * 24 for _ in range(7)]
    for plan in plans:
        for day, a, b, workers, _ in visit_lines(plan):
            for h in range(a // 60, min(24, (b - 1) // 60 + 1)):
                need[day][h] += workers * max(0, min(b, h * 60 + 60) - max(a, h * 60))
    return need


def held_by_hour(windows_list) -> list[list[float]]:
    """[weekday][hour]: minutes of availability the workers hold in that hour."""
    have = [[0.0] * 24 for _ in range(7)]
    for windows in windows_list:
        add_windows(have, windows)
    return have


def add_windows(have, windows) -> None:
    for day, spans in windows.items():
        for a, b in spans:
            for h in range(a // 60, min(24, (b - 1) // 60 + 1)):
                have[day][h] += max(0, min(b, h * 60 + 60) - max(a, h * 60))


def short_hours(need, have, ratio: float) -> list[tuple[float, int, int]]:
    """(shortfall, weekday, hour) of every hour whose shifts hold under ``ratio`` x its care."""
    return sorted(
        (
            (ratio * need[d][h] - have[d][h], d, h)
            for d in range(7)
            for h in range(24)
            if have[d][h] < ratio * need[d][h]
        ),
        reverse=True,
    )


def regular_teams(people, workers, *, target: int, most: int) -> dict:
    """``{person id: (worker id, ...)}`` for every person with an active package."""
    by_provider: dict = defaultdict(list)
    for w in workers:
        by_provider[w.provider_id].append(w)
    load: dict = defaultdict(float)  # (worker id, weekday, hour) -> regular minutes
    free: dict = {}  # (worker id, weekday, start, end) -> on shift then
    out = {}
    plans = [p for p in people if p.package.status == "active"]
    # People with the most care first: their teams are the hardest to make.
    plans.sort(key=lambda p: (-p.needs.weekly_minutes, str(p.individual.id)))
    for plan in plans:
        lines = visit_lines(plan)
        person = plan.individual
        if not lines:
            out[person.id] = ()
            continue
        big = any(line.workers_required > 1 or line.kind != "visit" for line in plan.needs.lines)
        size = most if big else target
        pref = person.preferred_worker_gender
        lat, lon = float(person.latitude), float(person.longitude)
        suits = [
            w
            for w in by_provider.get(plan.package.organisation_id, [])
            if pref == "none" or w.gender == pref
        ]
        ranked = sorted(
            ((distance_km(lat, lon, w.latitude, w.longitude), str(w.id), w) for w in suits),
            key=lambda x: (x[0], x[1]),
        )
        near = [(w, km) for km, _, w in ranked[:NEAREST]]
        out[person.id] = _team(lines, near, size, load, free)
    return out


def _team(lines, near, size: int, load, free) -> tuple:
    """Greedy: add the worker who covers most of the visit time still short of cover
    (each visit wants its workers plus two spares among the team, for days off and
    busy moments), nearest first, avoiding hours already full of their regular work."""
    cover = [0] * len(lines)
    team: list = []
    covers = {}
    for w, _ in near:
        covers[w.id] = mine = []
        for i, (day, a, b, _, skills) in enumerate(lines):
            if not skills <= w.skills:
                continue
            key = (w.id, day, a, b)
            on = free.get(key)
            if on is None:
                on = free[key] = w.available(day, a, b)
            if on:
                mine.append(i)
    while len(team) < size:
        best = None
        for w, km in near:
            if w.id in team or not covers[w.id]:
                continue
            gain = 0.0
            crowd = 0.0
            for i in covers[w.id]:
                day, a, b, workers, _ = lines[i]
                if cover[i] < workers + SPARES:
                    gain += (b - a) * (workers + SPARES - cover[i])
                    crowd += max(0.0, load[(w.id, day, a // 60)] + b - a - HOUR_CAPACITY)
            if gain <= 0:
                continue
            score = gain - 8 * km - 3 * crowd
            if best is None or score > best[0]:
                best = (score, w)
        if best is None:
            break
        w = best[1]
        team.append(w.id)
        for i in covers[w.id]:
            cover[i] += 1
    # Regular work shared among those who cover each visit.
    for i, (day, a, b, workers, _) in enumerate(lines):
        able = [wid for wid in team if i in covers[wid]]
        for wid in able:
            load[(wid, day, a // 60)] += (b - a) * workers / len(able)
    return tuple(team)


def top_up(builder, p, bases, count: int) -> None:
    """Add workers to provider ``p`` (whose ``count`` first workers are the builder's
    last) on the shifts that cover its busiest hours, living where its people live,
    until every hour holds ``p.cover_peaks`` times its care."""
    from . import population

    provider = builder.providers[p.name]
    mine = [x for x in builder.people if x.package.status == "active"]
    mine = [x for x in mine if x.package.organisation.name == p.name]
    need = need_by_hour(mine)
    have = held_by_hour([w.windows for w in builder.workers[-count:]])
    while mine:
        short = short_hours(need, have, p.cover_peaks)
        if not short:
            break
        _, day, hour = short[0]
        shifts = population.shifts_covering(hour)
        shift = builder.rng.choices(shifts, weights=[s[1] for s in shifts])[0]
        home = builder.rng.choice(mine)
        town = next((t for t in home.region.towns if t.name == home.town), None)
        plan = population.worker(
            builder.rng,
            builder.ids,
            spec=builder.spec,
            provider=provider,
            region=home.region,
            bases=bases,
            today=builder.today,
            shift=shift,
            working=day,
            town=town,
        )
        builder.workers.append(plan)
        add_windows(have, plan.windows)
