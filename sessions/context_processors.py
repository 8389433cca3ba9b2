"""Template context for every page."""

from sessions.policy.people import can_run_quick_scans, can_view_research


def research(request):
    """``can_view_research`` for the navigation: asked (one query) only when a page shows it."""
    user = getattr(request, "user", None)
    if user is None:
        return {"can_view_research": False}
    return {"can_view_research": lambda: can_view_research(user)}


def quick_scans(request):
    """``can_run_quick_scans`` for the navigation: asked (one query) only when a page shows it."""
    user = getattr(request, "user", None)
    if user is None:
        return {"can_run_quick_scans": False}
    return {"can_run_quick_scans": lambda: can_run_quick_scans(user)}
