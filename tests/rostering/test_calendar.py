"""Each care worker's rota as an iCalendar feed behind a secret address (issue 5)."""

from django.urls import reverse
from icalendar import Calendar

from homecare.rostering import services


def _feed(client, worker):
    token = services.calendar_token_issue(worker=worker)
    return client.get(reverse("rostering:calendar", kwargs={"token": token.token}))


def test_the_feed_lists_the_workers_visits(rota, client):
    response = _feed(client, rota["care_worker"])
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    cal = Calendar.from_ical(response.content)
    events = [c for c in cal.walk("VEVENT")]
    assert [str(e["summary"]) for e in events] == ["Margaret · BB2 6AA"]
    visit = rota["visit"]
    assert events[0].decoded("dtstart") == visit.planned_start
    assert str(events[0]["uid"]) == f"{visit.pk}@homecare"


def test_a_double_handed_visit_names_the_partner(rota, client):
    iris = rota["visits"]["iris1100"]
    chloe, dev = rota["workers"]["chloe"], rota["workers"]["dev"]
    services.rota_visit_move(by=rota["coordinator"], visit=iris, workers=[chloe, dev])
    cal = Calendar.from_ical(_feed(client, chloe).content)
    (event,) = cal.walk("VEVENT")
    assert "With Dev Worker (double-handed)" in str(event["description"])


def test_a_wrong_token_is_a_404(rota, client):
    services.calendar_token_issue(worker=rota["care_worker"])
    url = reverse("rostering:calendar", kwargs={"token": "not-the-token"})
    assert client.get(url).status_code == 404


def test_a_renewed_token_retires_the_old_address(rota, client):
    old = services.calendar_token_issue(worker=rota["care_worker"]).token
    services.calendar_token_issue(worker=rota["care_worker"], renew=True)
    assert client.get(reverse("rostering:calendar", kwargs={"token": old})).status_code == 404


def test_the_workers_home_page_links_their_feed(rota, login):
    html = login(rota["worker"]).get(reverse("core:home")).content.decode()
    token = rota["care_worker"].calendar_token.token
    assert f"/rota/calendar/{token}.ics" in html
    assert "Margaret" in html
