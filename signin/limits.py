"""How often a sign-in link by e-mail may be asked for, per address and per client.

Counted in Django's cache (Redis in production, ``CACHE_URL``, so every web replica
shares the count): ``cache.add`` starts a window's count at zero, ``cache.incr``
counts atomically, so a burst of parallel requests cannot slip past the limit.
Every address is counted the same way whether an account exists or not, and the
answer over the limit is the same too: the limit reveals nothing about accounts.
The address is kept in the cache only as a keyed hash.
"""

from __future__ import annotations

import hashlib
import hmac

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

from sms_tool.network import client_address


def _window_seconds() -> int:
    minutes: int = settings.SIGN_IN_LINK_WINDOW_MINUTES
    return minutes * 60


def _hashed(kind: str, value: str) -> str:
    digest = hmac.new(settings.SECRET_KEY.encode(), value.encode(), hashlib.sha256).hexdigest()
    return f"signin:link:{kind}:{digest[:32]}"


def _count(key: str) -> int:
    cache.add(key, 0, _window_seconds())
    try:
        return int(cache.incr(key))
    except ValueError:  # the window ended between add and incr: a new one starts
        cache.add(key, 1, _window_seconds())
        return 1


def too_many_link_requests(request: HttpRequest, email: str) -> bool:
    """Count one request for ``email`` from this client; True when either is over its limit."""
    per_address = _count(_hashed("address", email.lower()))
    per_client = _count(_hashed("client", client_address(request)))
    return (
        per_address > settings.SIGN_IN_LINKS_PER_ADDRESS
        or per_client > settings.SIGN_IN_LINKS_PER_CLIENT
    )
