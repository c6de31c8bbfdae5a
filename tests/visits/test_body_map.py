"""The body map: a skin concern marked on a front or back outline with a note, sent
through the phone's queue like any record, kept for good, shown on the visit record
and to the next worker."""

import pytest
from django.db.models import ProtectedError
from django.urls import reverse

from homecare.domain import bodymap
from homecare.visits.models import SkinConcern, VisitEvent

pytestmark = pytest.mark.django_db

SACRUM = {"side": "back", "x": 100, "y": 215}


@pytest.mark.parametrize(
    ("side", "x", "y", "region"),
    [
        ("front", 46, 120, "right upper arm"),  # their right is on the viewer's left
        ("back", 46, 120, "left upper arm"),
        ("back", 100, 215, "lower back (sacrum)"),
        ("back", 78, 212, "left buttock"),
        ("back", 122, 415, "right heel"),
        ("front", 122, 415, "left foot"),
        ("front", 100, 30, "face"),
        ("front", 80, 320, "right knee"),
        ("back", 154, 240, "right hand"),
    ],
)
def test_a_tap_on_the_outline_is_named_as_a_part_of_the_body(side, x, y, region):
    assert bodymap.region(side, x, y) == region


@pytest.mark.parametrize(("side", "x", "y"), [("top", 10, 10), ("front", -1, 10), ("back", 5, 441)])
def test_a_mark_off_the_outline_is_refused(side, x, y):
    with pytest.raises(ValueError):
        bodymap.check(side, x, y)


def test_a_worker_marks_a_pressure_area_once_however_often_it_is_sent(ward, nine, send):
    send("worker", "check_in")
    first = send(
        "worker", "skin", key="skin-key-0001", kind="pressure", note="Red, unbroken, 3 cm", **SACRUM
    )
    assert first.outcome == "accepted", first.reason
    again = send(
        "worker", "skin", key="skin-key-0001", kind="pressure", note="Red, unbroken, 3 cm", **SACRUM
    )
    assert again.replayed and again.pk == first.pk
    mark = SkinConcern.objects.get()
    assert (mark.side, mark.x, mark.y, mark.region, mark.kind) == (
        "back",
        100,
        215,
        "lower back (sacrum)",
        "pressure",
    )
    assert mark.individual == ward["person"] and mark.worker == ward["care_worker"]
    assert mark.event == first and mark.history.count() == 1


def test_a_mark_is_never_deleted(ward, nine, send):
    send("worker", "check_in")
    send("worker", "skin", kind="bruise", note="Yellowing, 2 cm", side="front", x=40, y=190)
    with pytest.raises(ProtectedError):
        SkinConcern.objects.get().delete()
    with pytest.raises(ProtectedError):
        SkinConcern.objects.all().delete()


@pytest.mark.parametrize(
    ("payload", "reason"),
    [
        ({"kind": "scar", "note": "x", **SACRUM}, "'kind' must be one of"),
        ({"kind": "rash", "note": "  ", **SACRUM}, "Describe what you saw"),
        ({"kind": "rash", "note": "x", "side": "back", "x": 100, "y": 900}, "within 200 x 440"),
        ({"kind": "rash", "note": "x", "side": "left", "x": 1, "y": 1}, "side must be one of"),
        ({"kind": "rash", "note": "x", "side": "back", "x": "ten", "y": 1}, "'x' must be a number"),
    ],
)
def test_a_bad_mark_is_refused_and_kept_for_the_office(ward, nine, send, payload, reason):
    send("worker", "check_in")
    event = send("worker", "skin", **payload)
    assert event.outcome == "rejected" and reason in event.reason
    assert not SkinConcern.objects.exists()


def test_a_mark_needs_a_check_in(ward, nine, send):
    event = send("worker", "skin", kind="rash", note="Raised, itchy", **SACRUM)
    assert event.outcome == "rejected" and "Check in" in event.reason
    assert not SkinConcern.objects.exists()


def test_the_api_takes_a_mark_from_the_phones_queue(ward, nine, login, send):
    send("worker", "check_in")
    client = login(ward["worker"])
    body = {
        "events": [
            {
                "key": "skin-api-0001",
                "kind": "skin",
                "visit": str(ward["visit"].pk),
                "device_at": nine.isoformat(),
                "payload": {"kind": "wound", "note": "Skin tear, dressed", **SACRUM},
            }
        ]
    }
    response = client.post(reverse("visits:api_events"), body, content_type="application/json")
    assert response.json()["results"][0]["outcome"] == "accepted"
    assert VisitEvent.objects.get(idempotency_key="skin-api-0001").kind == "skin"
    rota = client.get(reverse("visits:api_rota")).json()
    visit = next(v for v in rota["visits"] if v["id"] == str(ward["visit"].pk))
    assert visit["skin"] == [
        {
            "side": "back",
            "x": 100,
            "y": 215,
            "kind": "wound",
            "kind_label": "Wound, cut or skin tear",
            "region": "lower back (sacrum)",
            "note": "Skin tear, dressed",
            "by": "Aishwarya",
            "at": nine.isoformat(),
            "this_visit": True,
        }
    ]
    evening = next(v for v in rota["visits"] if v["id"] == str(ward["evening"].pk))
    assert [m["this_visit"] for m in evening["skin"]] == [False]  # to check on later


def test_the_coordinator_sees_the_body_map_on_the_visit_record(ward, nine, send, login):
    send("worker", "check_in")
    send("worker", "skin", kind="bruise", note="Blue-purple, 4 cm", side="front", x=46, y=120)
    send("worker", "skin", kind="pressure", note="Red, unbroken", **SACRUM)
    client = login(ward["coordinator"])
    html = client.get(reverse("visits:record", args=[ward["visit"].pk])).content.decode()
    assert "Body map" in html
    assert "<strong>Bruise</strong>, right upper arm: Blue-purple, 4 cm" in html
    assert "<strong>Pressure area (redness, sore)</strong>, lower back (sacrum)" in html
    assert html.count('class="mark ') == 2
