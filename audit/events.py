"""One-line calls that write the audit log, from services, views and signals.

``record`` takes the person who acted explicitly when the caller knows it; signals
(memberships and roles changed in the admin, by an import or a service) use the
person of the current request, which ``AuditActorMiddleware`` keeps for the request's
duration. From a management command the actor is empty ("the system").
"""

from __future__ import annotations

import contextvars
from typing import Any

from audit.models import Action, AuditEvent

_current_user: contextvars.ContextVar[Any] = contextvars.ContextVar("audit_user", default=None)


def current_actor() -> Any:
    """The signed-in person of the request being handled, or None."""
    user = _current_user.get()
    if user is not None and getattr(user, "is_authenticated", False):
        return user
    return None


class AuditActorMiddleware:
    """Keeps ``request.user`` at hand for events recorded by signals during the request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _current_user.set(getattr(request, "user", None))
        try:
            return self.get_response(request)
        finally:
            _current_user.reset(token)


def record(
    action: Action | str,
    *,
    actor: Any = None,
    community: Any = None,
    session: Any = None,
    subject: Any = None,
    community_name: str = "",
    **detail: Any,
) -> AuditEvent:
    """Add one event. ``session`` gives the community when ``community`` is not given."""
    if actor is None:
        actor = current_actor()
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    if community is None and session is not None:
        community = session.community
    return AuditEvent.objects.create(
        action=action,
        actor=actor,
        subject=subject,
        community=community,
        community_name=getattr(community, "name", "") or community_name,
        session_id=getattr(session, "pk", None),
        session_title=(getattr(session, "title", "") or "")[:200],
        detail={key: value for key, value in detail.items() if value not in (None, "")},
    )


def download(request: Any, *, kind: str, what: str, session: Any = None) -> None:
    """A download of private data: ``kind`` is the file type (csv, xlsx, json, pdf)."""
    record(Action.DOWNLOAD, actor=request.user, session=session, kind=kind, what=what)
