"""In-process page benchmarks: a page against its own bytes served from memory behind the same login.

Used by bench/format_page.py and bench/compare.py. Both sides are requested with
Django's test client in the same process, on the same database, through the same
middleware (session and user lookup included): like with like. A and B alternate
(A B A B ...), so a busy machine slows both; per request the wall time and the
CPU time of this process (``time.process_time``) are kept, and the ratio is taken
pair by pair (the median of the pairs' ratios), with the spread (p10-p90).
"""

import os
import statistics
import time
from html.parser import HTMLParser

CEILING_PATH = "bench-ceiling/"
PAGE_BYTES = {"body": b""}


def ceiling(request):
    """The page's bytes, served from memory behind the same login (session and user looked up)."""
    from django.contrib.auth.decorators import login_required
    from django.http import HttpResponse

    @login_required
    def view(request):
        return HttpResponse(PAGE_BYTES["body"], content_type="text/html; charset=utf-8")

    return view(request)


def urlpatterns_with_ceiling():
    from django.urls import path

    from sms_tool import urls

    return [path(CEILING_PATH, ceiling), *urls.urlpatterns]


def quiet_request_log():
    """The request log line costs both sides alike but floods the terminal: off."""
    import logging

    logging.getLogger("sms_tool.request").setLevel(logging.WARNING)


def spread(values):
    ordered = sorted(values)
    return ordered[len(ordered) // 10], ordered[(len(ordered) * 9) // 10]


def load_average():
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


def interleaved(client, page, *, runs, warm_ups=5, parts=None):
    """Time ``page`` (A) against its own bytes behind the same login (B), A B A B ...

    ``parts``: more {name: path} to time in the same rounds (A B C D A B C D ...), for
    example parts of A's work on their own. Returns {"A": {"wall": [...], "cpu": [...]},
    "B": ..., **parts} in milliseconds and the pairwise ratios A/B {"wall": [...], "cpu": [...]}.
    """
    first = client.get(page)
    assert first.status_code == 200, first.status_code
    PAGE_BYTES["body"] = first.content
    paths = {"A": page, "B": "/" + CEILING_PATH, **(parts or {})}
    for _ in range(warm_ups):
        for path in paths.values():
            client.get(path)
    timings = {name: {"wall": [], "cpu": []} for name in paths}
    for _ in range(runs):
        for name, path in paths.items():
            start, cpu = time.perf_counter(), time.process_time()
            response = client.get(path)
            timings[name]["wall"].append((time.perf_counter() - start) * 1000)
            timings[name]["cpu"].append((time.process_time() - cpu) * 1000)
            assert response.status_code == 200, (path, response.status_code)
    ratios = {
        kind: [a / b for a, b in zip(timings["A"][kind], timings["B"][kind], strict=True) if b]
        for kind in ("wall", "cpu")
    }
    return timings, ratios


def print_figures(timings, ratios, *, label, goal=None):
    """Median and p10-p90 of each side, and of the pairwise ratios (wall and CPU)."""
    for name, text in (("A", label), ("B", "same bytes from memory, same login")):
        for kind in ("wall", "cpu"):
            values = timings[name][kind]
            low, high = spread(values)
            print(
                f"  {name} {text:<36} {kind:>4} median {statistics.median(values):7.2f} ms"
                f"  p10-p90 {low:.2f}-{high:.2f}"
            )
    for kind in ("wall", "cpu"):
        low, high = spread(ratios[kind])
        median = statistics.median(ratios[kind])
        verdict = ""
        if goal is not None:
            verdict = f"; goal under {goal}x: {'PASS' if median < goal else 'FAIL'}"
        print(
            f"ratio A/B ({kind}, pair by pair): median {median:.1f}x, "
            f"p10-p90 {low:.1f}-{high:.1f}x{verdict}"
        )


class _Tokens(HTMLParser):
    """Tags with their attributes and text, whitespace between tags ignored (not in textarea/pre)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tokens, self.raw = [], 0

    def handle_starttag(self, tag, attrs):
        csrf = ("name", "csrfmiddlewaretoken") in attrs
        attrs = [(k, "CSRF" if csrf and k == "value" else v) for k, v in attrs]
        self.tokens.append(("<", tag, tuple(sorted(attrs, key=lambda a: (a[0], a[1] or "")))))
        self.raw += tag in ("textarea", "pre")

    def handle_endtag(self, tag):
        self.tokens.append(("</", tag))
        self.raw -= tag in ("textarea", "pre")

    def handle_data(self, data):
        text = data if self.raw else " ".join(data.split())
        if text:
            self.tokens.append(("#", text))


def html_tokens(page):
    parser = _Tokens()
    parser.feed(page if isinstance(page, str) else page.decode("utf-8"))
    parser.close()
    return parser.tokens


def same_page(before, after):
    """None when equal modulo CSRF tokens and whitespace between tags, else the first difference."""
    a, b = html_tokens(before), html_tokens(after)
    for index, (x, y) in enumerate(zip(a, b, strict=False)):
        if x != y:
            return f"token {index}: {x!r} != {y!r}"
    if len(a) != len(b):
        return f"{len(a)} tokens != {len(b)} tokens"
    return None
