"""Outsider cases for the notifications pages (see tests/test_outsiders_get_404.py)."""

DETAIL_ROUTES = {"notifications:detail": ("notification", {}, "get")}
LIST_ROUTES = {"notifications:list": "Entwistle-Quayle"}


def build(everything):
    from homecare.notifications.services import notification_raise

    notification = notification_raise(
        kind="hospital_admission",
        provider=everything["provider"],
        council=everything["council"],
        package=everything["package"],
        subject="Margaret Entwistle-Quayle admitted to hospital",
        body="Admitted to Royal Blackburn Hospital, ward C3.",
        refs=["LAN-HC-6.2"],
        event_key="test:outsiders",
    )
    return {"notification": notification}
