"""The Quick Scan participant: who is who, and how floods are stopped.

The participant's page (the short link ``/q/<code>/``) needs no account. A
browser is told apart by a random id in a signed, HttpOnly cookie; only a hash of
it is stored. A closed scan answers 410 and an unknown code 404, each with a page
that says so.

Flood limits use Django's cache: at most ``MAX_NEW_ANSWERS_PER_ADDRESS`` new
answers per network address per scan per hour, and one save per browser per
``SAVE_COOLDOWN_SECONDS``; going over gives 429 with the form as it was sent.
The default cache lives in one process: production with several workers needs a
shared cache (``CACHE_URL=dbcache://sms_cache``) for the limits to hold across
workers. Behind reverse proxies, ``TRUSTED_PROXY_COUNT`` makes the address the
client's, not the proxy's (``sms_tool.network``). The limit per address is high
on purpose: everyone in a conference room often shares one address behind the
venue's Wi-Fi.
"""

import hashlib

from django.core.cache import cache

from sessions.quickscan import services
from sms_tool.network import client_address

COOKIE_NAME = "sms_quickscan"
COOKIE_SALT = "sessions.quickscan.browser"
COOKIE_MAX_AGE = 60 * 60 * 24 * 365

MAX_NEW_ANSWERS_PER_ADDRESS = 150  # per scan, per FLOOD_WINDOW_SECONDS
FLOOD_WINDOW_SECONDS = 60 * 60
SAVE_COOLDOWN_SECONDS = 1


def browser_key(request):
    """The browser's random id from its signed cookie; a tampered cookie counts as none."""
    return request.get_signed_cookie(COOKIE_NAME, default=None, salt=COOKIE_SALT) or None


def remember_browser(request, response, browser_key):
    response.set_signed_cookie(
        COOKIE_NAME,
        browser_key,
        salt=COOKIE_SALT,
        max_age=COOKIE_MAX_AGE,
        secure=request.is_secure(),
        httponly=True,
        samesite="Lax",
    )


def _address_key(request, scan):
    address = client_address(request)
    return f"quickscan:new:{scan.pk}:{hashlib.sha256(address.encode()).hexdigest()[:32]}"


def too_many_new_answers(request, scan):
    return cache.get(_address_key(request, scan), 0) >= MAX_NEW_ANSWERS_PER_ADDRESS


def count_new_answer(request, scan):
    key = _address_key(request, scan)
    cache.add(key, 0, FLOOD_WINDOW_SECONDS)
    try:
        cache.incr(key)
    except ValueError:  # expired in between
        cache.add(key, 1, FLOOD_WINDOW_SECONDS)


def too_soon(scan, browser_key):
    """One save per browser per cooldown; the first call in a period claims it."""
    if not SAVE_COOLDOWN_SECONDS:
        return False
    key = f"quickscan:save:{services.hash_browser_key(scan, browser_key)}"
    return not cache.add(key, 1, SAVE_COOLDOWN_SECONDS)
