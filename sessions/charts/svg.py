"""SVG drawing primitives shared by every chart: text, bars, tracks, hatching, the frame.

Every label goes through ``escape`` (text) or ``quoteattr`` (attributes) here,
so a chart built from these pieces may be marked safe as a whole.
"""

from xml.sax.saxutils import escape, quoteattr

from django.utils.safestring import mark_safe

FONT = "DejaVu Sans, sans-serif"
INK = "#1f2328"
MUTED = "#59636e"
TRACK = "#d0d7de"
STRIPE = "#f3f5f8"
EDUCATION_FILL = "#1d4e89"
HEADER_SIZE = 11
# Average advance of DejaVu Sans per character, in em, to wrap labels without measuring.
CHAR = 0.53
BOLD_CHAR = 0.58
PRACTICE_INK = "#9a4a00"


def text(x, y, content, *, size=12, anchor="start", fill=INK, weight=None, italic=False):
    attributes = f'x="{x:g}" y="{y:g}" font-size="{size}" fill="{fill}"'
    if anchor != "start":
        attributes += f' text-anchor="{anchor}"'
    if weight:
        attributes += f' font-weight="{weight}"'
    if italic:
        attributes += ' font-style="italic"'
    return f"<text {attributes}>{escape(str(content))}</text>"


def lines(x, y, lines, *, size=12, anchor="start", fill=INK, weight=None, leading=1.25):
    """Several lines of text as one <text> with a <tspan> per line."""
    spans = "".join(
        f'<tspan x="{x:g}" dy="{0 if index == 0 else size * leading:g}">{escape(line)}</tspan>'
        for index, line in enumerate(lines)
    )
    attributes = f'x="{x:g}" y="{y:g}" font-size="{size}" fill="{fill}"'
    if anchor != "start":
        attributes += f' text-anchor="{anchor}"'
    if weight:
        attributes += f' font-weight="{weight}"'
    return f"<text {attributes}>{spans}</text>"


def wrap(text, width, max_lines=3):
    """Split ``text`` into at most ``max_lines`` lines of about ``width`` characters."""
    words = str(text).split()
    lines = []
    for word in words:
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] = shorten(lines[-1] + " …", width)
    return [shorten(line, width) for line in lines] or [""]


def shorten(text, width):
    text = str(text)
    return text if len(text) <= width else text[: max(width - 1, 1)].rstrip() + "…"


def document(*, prefix, width, height, title, desc, body, defs=""):
    title_id, desc_id = f"{prefix}-title", f"{prefix}-desc"
    return mark_safe(  # every label above went through escape() or quoteattr()
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" class="sms-chart"'
        f' width="{width:g}" height="{height:g}" viewBox="0 0 {width:g} {height:g}"'
        f' font-family={quoteattr(FONT)} aria-labelledby="{title_id} {desc_id}">'
        f'<title id="{title_id}">{escape(str(title))}</title>'
        f'<desc id="{desc_id}">{escape(str(desc))}</desc>'
        f"{defs}"
        f'<rect x="0" y="0" width="{width:g}" height="{height:g}" fill="#ffffff"/>'
        f"{body}</svg>"
    )


def bar(x, y, length, height, *, fill, stroke=None):
    stroke_attributes = f' stroke="{stroke}" stroke-width="1"' if stroke else ""
    return (
        f'<rect x="{x:g}" y="{y:g}" width="{max(length, 0):g}" height="{height:g}"'
        f' fill="{fill}"{stroke_attributes}/>'
    )


def track(x, y, length, height):
    return (
        f'<rect x="{x:g}" y="{y:g}" width="{length:g}" height="{height:g}"'
        f' fill="#ffffff" stroke="{TRACK}" stroke-width="1"/>'
    )


def hatch(pattern_id):
    return (
        f'<pattern id="{pattern_id}" patternUnits="userSpaceOnUse" width="8" height="8"'
        f' patternTransform="rotate(45)">'
        f'<rect width="8" height="8" fill="#ffffff"/>'
        f'<line x1="0" y1="0" x2="0" y2="8" stroke="{PRACTICE_INK}" stroke-width="5"/>'
        f"</pattern>"
    )
