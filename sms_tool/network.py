"""The network address a request came from, also behind reverse proxies.

Used for the sign-in rate limit (django-axes) and the Quick Scan flood limits.
Each reverse proxy in front of the app appends the address it received the
request from to X-Forwarded-For. With ``TRUSTED_PROXY_COUNT = n`` the n-th
address from the right is the one our outermost proxy saw; everything to the
left of it was sent by the client and can be forged, so it is never used.

Not django-ipware: with one proxy that sends ``X-Forwarded-For: <client>`` (nginx's
``proxy_add_x_forwarded_for`` on a fresh request), its ``proxy_count=1`` found no
address at all when we tried it (django-ipware 8.0).
"""

import ipaddress

from django.conf import settings


def client_address(request):
    """The client's IP address as a string; the connection's own when no proxy is trusted."""
    remote = request.META.get("REMOTE_ADDR", "")
    count = settings.TRUSTED_PROXY_COUNT
    if not count:
        return remote
    chain = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    if len(chain) < count:
        return remote  # the header did not pass through all our proxies
    try:
        return str(ipaddress.ip_address(chain[-count]))
    except ValueError:
        return remote
