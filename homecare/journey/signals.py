"""Signals of the journey app.

``visits_moved`` is sent after a journey event commits, with ``visit_ids``
(every visit created, moved, cancelled or put back by it), so the rota can
re-plan them; ``sender`` says what moved them: a
:class:`~homecare.journey.models.PackageChange` (``change=`` the change) or a
:class:`~homecare.journey.models.HospitalStay` (``stay=`` the stay: an
admission cancels visits, a discharge within the hold puts them back).
"""

from django.dispatch import Signal

visits_moved = Signal()
