"""Visits as they happen: the care worker's phone app, electronic call monitoring
(ECM) and the visit record (issue 6).

Models other apps may read (names and fields kept stable; ``homecare/visits/models.py``):

- ``VisitEvent``: the append-only log of what phones sent. ``idempotency_key``
  (unique), ``visit``, ``worker``, ``kind`` (check_in, check_out, task,
  medication, finance, incident, note, skin), ``device_at`` / ``sent_at`` (the
  phone's clock), ``received_at`` / ``occurred_at`` (the server's),
  ``latitude``, ``longitude``, ``accuracy_metres``, ``distance_metres``,
  ``method`` (gps, tag, manual), ``payload``, ``outcome`` (accepted, rejected)
  with ``reason``, ``needs_approval`` / ``approved_by`` / ``approved_at``.
- ``CallRecord`` (``visit.call``): the verified call, with the six EVV data
  elements: ``service_type``, ``individual``, ``date``, ``latitude`` /
  ``longitude`` / ``address``, workers (``CallWorker``: ``checked_in_at``,
  ``checked_out_at`` each) and ``started_at`` (first in), ``care_started_at``
  (the care timer, both in on a double-handed visit, KENT-3.3.7),
  ``ended_at``; ``status`` waiting, in_progress, completed.
- The visit record: ``TaskRecord`` (``visit``, ``task``, ``outcome`` done,
  not_done, refused, ``reason``), ``Medication`` (a person's schedule:
  ``times`` as "HH:MM") -> ``MedicationDose`` (due on a visit) ->
  ``DoseRecord`` (``outcome`` given, refused, not_given), ``FinancialTransaction``,
  ``Incident``, ``VisitNote`` (``for_next_worker``, ``shared_with_person``),
  ``SkinConcern`` (the body map: ``side``, ``x``, ``y``, ``region``, ``kind``,
  ``note``; ``homecare.visits.bodymap``).
- ``HomeProfile``: per provider and person, the home's tag code, access notes
  and key safety information (the tag issued and printed as a QR code:
  ``homecare.visits.tags``).

Writes: ``homecare.visits.services`` (``visit_check_in``, ``visit_check_out``,
``visit_record_task``, ``visit_record_dose``, ... and ``event_record`` for the
API); the visit record's services live in ``record_services`` and the shape
every event service shares (lock, clock, rota, idempotency) in
``event_service``, both re-exported by ``services``. Check-ins and check-outs
are written in batches (``homecare.visits.arrivals``: the API sends those of
every request a server process has in hand at once through a group commit),
each with the call monitor's arrival or departure step
(``homecare.monitoring.services.arrival`` / ``departure``) in the same
transaction.
"""
