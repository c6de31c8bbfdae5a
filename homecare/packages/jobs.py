"""Background jobs of the packages app."""

from homecare.core.jobs import job


@job("visits.extend_horizon")
def visits_extend_horizon() -> dict:
    """Nightly: generate visits up to the horizon for every active package."""
    from .models import CarePackage
    from .services import visits_regenerate

    created = 0
    packages = CarePackage.objects.filter(status="active", archived_at__isnull=True)
    batch: list = []
    for package in packages.iterator(chunk_size=500):
        batch.append(package)
        if len(batch) == 500:
            created += visits_regenerate(packages=batch).created
            batch = []
    if batch:
        created += visits_regenerate(packages=batch).created
    return {"created": created}
