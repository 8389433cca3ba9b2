"""Template context for every page."""

from django.utils.functional import SimpleLazyObject

from sessions.policy.people import Navigation, navigation_for


def navigation(request):
    """``nav``: the main navigation's links (``people.navigation_for``), one query, asked
    only when a page shows the navigation."""
    user = getattr(request, "user", None)
    if user is None:
        return {"nav": Navigation()}
    return {"nav": SimpleLazyObject(lambda: navigation_for(user))}
