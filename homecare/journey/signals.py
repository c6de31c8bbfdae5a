"""Signals of the journey app.

``visits_moved`` is sent after a change to care commits, with ``change`` (the
:class:`~homecare.journey.models.PackageChange`) and ``visit_ids`` (every
visit created, moved or cancelled by it), so the rota can re-plan them.
"""

from django.dispatch import Signal

visits_moved = Signal()
