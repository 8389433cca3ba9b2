"""The Quick Scan participant: who is who, and how floods are stopped.

The participant's page (the short link ``/q/<code>/``) needs no account. A
browser is told apart by a random id in a signed, HttpOnly cookie; only a hash of
it is stored. A closed scan answers 410 and an unknown code 404, each with a page
that says so.

Flood limits per browser and per scan, not per network address: everyone in a
conference hall shares the venue's one address. Using Django's cache (Redis in
production, ``CACHE_URL``):

- one save per browser per ``SAVE_COOLDOWN_SECONDS`` (``cache.add``: the first call
  in a period claims it);
- at most ``MAX_SAVES_PER_BROWSER`` saves per browser per scan (a script that keeps
  its cookie and changes its answer in a loop);
- at most ``MAX_PARTICIPANTS_PER_SCAN`` browsers per scan (a script that throws its
  cookie away and answers again as a "new" phone). The count is ``cache.incr``, atomic
  on Redis and within one process; when the cache lost it, it starts again from the
  number of answers in the database.

Going over gives 429 with the form as it was sent. A browser that already answered
may always change its answer within its own limits, also when the scan is full.
"""

import contextlib

from django.core.cache import cache

from sessions.quickscan import services

COOKIE_NAME = "sms_quickscan"
COOKIE_SALT = "sessions.quickscan.browser"
COOKIE_MAX_AGE = 60 * 60 * 24 * 365

MAX_PARTICIPANTS_PER_SCAN = 3000  # browsers per scan, per FLOOD_WINDOW_SECONDS
MAX_SAVES_PER_BROWSER = 60  # saves (the first answer and changes) per browser per scan
FLOOD_WINDOW_SECONDS = 60 * 60 * 12
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


def _participants_key(scan):
    return f"quickscan:participants:{scan.pk}"


def claim_new_participant(scan):
    """Count one more browser for the scan; False (and nothing counted) when it is full.

    Atomic with an atomic ``incr`` (Redis, the local memory cache): of 1,000 phones at
    the same moment against a limit of 900, exactly 900 get through.
    """
    key = _participants_key(scan)
    try:
        number = cache.incr(key)
    except ValueError:  # no count in the cache (yet, or lost): start from the database
        cache.add(key, scan.responses.count(), FLOOD_WINDOW_SECONDS)
        number = cache.incr(key)
    if number > MAX_PARTICIPANTS_PER_SCAN:
        cache.decr(key)
        return False
    return True


def release_participant(scan):
    """A claimed place that was not used (the answer was refused after all)."""
    with contextlib.suppress(ValueError):
        cache.decr(_participants_key(scan))


def too_many_saves(scan, browser_key):
    """More than ``MAX_SAVES_PER_BROWSER`` saves by this browser in this scan."""
    key = f"quickscan:saves:{services.hash_browser_key(scan, browser_key)}"
    cache.add(key, 0, FLOOD_WINDOW_SECONDS)
    try:
        return cache.incr(key) > MAX_SAVES_PER_BROWSER
    except ValueError:  # expired in between
        return False


def too_soon(scan, browser_key):
    """One save per browser per cooldown; the first call in a period claims it."""
    if not SAVE_COOLDOWN_SECONDS:
        return False
    key = f"quickscan:save:{services.hash_browser_key(scan, browser_key)}"
    return not cache.add(key, 1, SAVE_COOLDOWN_SECONDS)
