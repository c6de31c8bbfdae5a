"""Group commit: the requests a server process has in hand at one moment share one
transaction.

Each request thread :meth:`GroupCommit.submit` s its items and waits. The first
to arrive while nobody is writing becomes the *leader*: it takes every item
queued by then (up to ``limit``), runs ``write(items)`` once on its own
database connection, hands each waiting thread its results and returns its
own. Threads that queued while it was writing are served by the next leader:
the first of them, woken to lead. Nothing waits on a timer: with one request
in hand a batch is that request alone, so a quiet server answers as fast as
without batching, and a busy one pays for one transaction per batch instead of
one per request.

Work that must follow a write but that nobody's answer depends on (the emails
a batch's commit sends, say) is handed to :func:`after_answering` inside
``write``: the leader runs it once every request of the batch has its answer
and the next leader has been woken, so one late call's email does not hold up
the answers of the other check-ins written with it.

Plain Python (threads only), so it is tested without a database; the phone
app's check-ins and check-outs use it (``homecare.visits.arrivals``).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence
from typing import Any

log = logging.getLogger(__name__)
_local = threading.local()


def after_answering(func: Callable[[], object]) -> None:
    """Run ``func`` once the requests written with this thread's current write are
    answered (at once outside a group's write). An error in it is logged, not
    raised: the writes it follows are committed and answered."""
    later = getattr(_local, "later", None)
    if later is None:
        func()
    else:
        later.append(func)


class _Ticket:
    __slots__ = ("error", "items", "lead", "ready", "results")

    def __init__(self, items: Sequence[Any]):
        self.items = list(items)
        self.results: list[Any] | None = None
        self.error: BaseException | None = None
        self.ready = threading.Event()
        self.lead = False  # woken to lead the next batch, not with results

    def answer(self) -> list[Any]:
        if self.error is not None:
            raise self.error
        return self.results


class GroupCommit:
    """``write(items) -> results`` (one result per item, in order), shared by
    concurrent :meth:`submit` calls."""

    def __init__(self, write: Callable[[list[Any]], list[Any]], *, limit: int = 200):
        self.write = write
        self.limit = limit
        self._lock = threading.Lock()
        self._queue: list[_Ticket] = []
        self._leading = False

    def submit(self, items: Sequence[Any]) -> list[Any]:
        """The results of ``items``, written together with whatever other threads
        submit meanwhile. Raises what ``write`` raised for their batch."""
        if not items:
            return []
        ticket = _Ticket(items)
        with self._lock:
            self._queue.append(ticket)
            lead = not self._leading
            self._leading = True
        if not lead:
            ticket.ready.wait()
            if not ticket.lead:
                return ticket.answer()
        later: list[Callable[[], object]] = []
        while ticket.results is None and ticket.error is None:
            later += self._lead_one()
        self._hand_over()
        for func in later:
            try:
                func()
            except Exception:
                log.exception("Work after a group commit failed")
        return ticket.answer()

    def _lead_one(self) -> list[Callable[[], object]]:
        """Write one batch and answer its requests; what is to run after answering."""
        with self._lock:
            batch, size = [], 0
            while self._queue and (not batch or size + len(self._queue[0].items) <= self.limit):
                batch.append(self._queue.pop(0))
                size += len(batch[-1].items)
        items = [item for ticket in batch for item in ticket.items]
        _local.later = later = []
        try:
            results = self.write(items)
        except BaseException as error:  # each waiting request answers with it
            later.clear()
            for ticket in batch:
                ticket.error = error
        else:
            at = 0
            for ticket in batch:
                ticket.results = results[at : at + len(ticket.items)]
                at += len(ticket.items)
        finally:
            _local.later = None
        for ticket in batch:
            ticket.ready.set()
        return later

    def _hand_over(self) -> None:
        with self._lock:
            if not self._queue:
                self._leading = False
                return
            successor = self._queue[0]
        successor.lead = True
        successor.ready.set()
