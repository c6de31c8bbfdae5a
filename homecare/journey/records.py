"""After a conditional update (which sends no signal and writes no history),
save the row once more: its audit history keeps who moved it, and ``post_save``
tells the watchers (the what-is-due page's cache, homecare.plans.cache)."""


def touch(obj, by=None):
    """Reload ``obj`` in place and save it again on behalf of ``by``."""
    obj.refresh_from_db()
    obj._history_user = by
    obj.save()
    return obj
