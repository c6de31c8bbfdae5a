"""What the council is told about calls (KENT-3.8.1), through the notifications outbox.

Each function raises one notification with an event key naming the call and
the kind, so raising it again (a second sweep, a retried request) sends nothing.
"""

from __future__ import annotations


def call_late(watch) -> None:
    _raise(watch, "late_call")


def call_missed(watch) -> None:
    _raise(watch, "missed_call")


def call_not_delivered(watch, *, note: str = "") -> None:
    _raise(watch, f"{watch.outcome}_call", note=note)


def _raise(watch, kind: str, note: str = "") -> None:
    return None
