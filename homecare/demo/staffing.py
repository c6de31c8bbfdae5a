"""A provider staffed like a real one.

Plain data in, plain data out (no database).

* :func:`short_hours` / :func:`top_up`: a provider that covers its care holds, in
  every hour of every weekday, more shift time than its visits need in that hour
  (care is bunched at breakfast, lunch, tea and bed time, so the peaks decide the
  headcount, not the week's total). The builder adds workers on the shift pattern
  that covers the shortest hour until every hour is covered ``ratio`` times.
* :func:`visit_lines`: a person's weekly visits as plain tuples (see :mod:`.teams`
  for each person's regular team and the week it works).
"""

from __future__ import annotations


def _minutes(t) -> int:
    return t.hour * 60 + t.minute


def visit_lines(plan):
    """A person's weekly visit lines as (weekday, start, end, workers, skills, window)."""
    return [
        (
            line.weekday,
            _minutes(line.start_time),
            _minutes(line.start_time) + line.duration_minutes,
            line.workers_required,
            frozenset(line.skills),
            line.window_minutes,
        )
        for line in plan.needs.lines
        if line.kind == "visit"
    ]


def need_by_hour(plans) -> list[list[float]]:
    """[weekday][hour]: worker-minutes of visits in that hour."""
    need = [[0.0] * 24 for _ in range(7)]
    for plan in plans:
        for day, a, b, workers, _, _ in visit_lines(plan):
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
