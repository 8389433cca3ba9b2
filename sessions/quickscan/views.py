"""Quick Scans (workshop mode): the facilitator's pages and the participant's sheet.

The facilitator's pages need a sign-in: starting a scan needs
``people.can_run_quick_scans``, and one scan's pages come from
``access.quickscan_for`` (its owner and staff; 404 for anyone else).

The participant's page (the short link ``/q/<code>/``) needs no account; a
browser is told apart, and floods are stopped, by ``sessions.quickscan.limits``.
A closed scan answers 410 and an unknown code 404, each with a page that says so.
"""

import csv
import hashlib
import io
import secrets

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from audit import events as audit
from partnerships.models import PartnerType
from sessions.charts.quickscan import quickscan_chart
from sessions.charts.wordcloud import word_cloud, word_counts
from sessions.interchange.tables import safe_text, xlsx_workbook
from sessions.lifecycle.forms import SessionForm
from sessions.lifecycle.services import facilitator_candidates
from sessions.models import QuickScan
from sessions.policy import access, people
from sessions.quickscan import limits, services
from sessions.quickscan.forms import QuickScanAnswerForm, QuickScanForm, open_field
from sessions.quickscan.services import QuickScanClosed
from sms_tool.errors import DomainError, show_in_form
from sms_tool.http import CSV, XLSX, attachment

PAGE_SIZE = 20
POLL_SECONDS = 3
TEMPLATES = "dialogue_sessions/quickscan/"


# --- the short link and its QR code ------------------------------------------


def short_link(request, scan):
    return request.build_absolute_uri(reverse("quickscan_join", args=[scan.code]))


def link_text(link):
    """The link as people type it from the screen: without "https://"."""
    return link.split("://", 1)[-1]


def qr_svg(link):
    """The link as a QR code in inline SVG; segno escapes the title it writes."""
    svg = segno.make(link, error="m").svg_inline(
        scale=1,
        omitsize=True,
        svgclass="qs-qr",
        lineclass="qs-qr-line",
        dark="#000",
        light="#fff",
        title=_("QR code for %(link)s") % {"link": link},
    )
    return mark_safe(svg.replace("<svg ", '<svg role="img" ', 1))  # segno escaped the title


def _share(request, scan):
    link = short_link(request, scan)
    return {"link": link, "link_text": link_text(link), "qr": qr_svg(link)}


# --- the facilitator's pages -------------------------------------------------------


def _require_runner(user):
    # Not an object in the URL, so nothing to hide: 403 rather than 404.
    if not people.can_run_quick_scans(user):
        raise PermissionDenied


@login_required
@require_GET
def quickscan_list(request):
    _require_runner(request.user)
    scans = (
        QuickScan.objects.filter(created_by=request.user)
        .annotate(response_count=Count("responses"))
        .order_by("-created_at", "-id")
    )
    page = Paginator(scans, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, TEMPLATES + "list.html", {"page": page})


@login_required
@require_http_methods(["GET", "POST"])
def quickscan_create(request):
    _require_runner(request.user)
    form = QuickScanForm(request.POST if request.method == "POST" else None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            scan = services.quickscan_create(
                by=request.user,
                title=form.cleaned_data["title"],
                community=form.cleaned_data["community"],
                hide_results=form.cleaned_data["hide_results"],
            )
        except DomainError as error:
            show_in_form(form, error)
        else:
            messages.success(
                request,
                _("Quick Scan “%(title)s” started. Show its link or QR code on the screen.")
                % {"title": scan.title},
            )
            return redirect("quickscan_detail", pk=scan.pk)
    return render(request, TEMPLATES + "form.html", {"form": form})


@login_required
@require_GET
def quickscan_detail(request, pk):
    scan = access.quickscan_for(request.user, pk)
    return render(
        request,
        TEMPLATES + "detail.html",
        {
            "scan": scan,
            "response_count": scan.responses.count(),
            "can_start_session": people.can_start_session_from_quick_scan(request.user, scan),
            **_share(request, scan),
        },
    )


# The projector's clouds draw the most frequent words only, so that four of them fit one
# screen; the list under each names every counted word (``word_counts``' top) with its count.
CLOUD_WORDS = 12


def _clouds(counts):
    """Per cluster with open answers: its word cloud and the words as a list."""
    clouds = []
    for row in counts.clusters:
        texts = counts.open_answers.get(row.cluster.code) or []
        if not texts:
            continue
        words = word_counts(texts)
        clouds.append(
            {
                "cluster": row.cluster,
                "answers": len(texts),
                "words": words,
                "svg": word_cloud(
                    words[:CLOUD_WORDS],
                    prefix=f"qs-cloud-{row.cluster.code}",
                    label=row.cluster.label,
                ),
            }
        )
    return clouds


# The projector's views, one screen each at 1280 x 720: the chart with the QR code while
# open; the numbers per side with the cross-tab; the words of the open answers.
OVERVIEW, SIDES, WORDS = "overview", "sides", "words"
VIEWS = (
    (OVERVIEW, gettext_lazy("Overview")),
    (SIDES, gettext_lazy("Education and practice")),
    (WORDS, gettext_lazy("Words in the open answers")),
)


def _view(request):
    """The projector view asked for (``?view=``); the overview for anything else."""
    wanted = request.GET.get("view", "")
    return wanted if wanted in dict(VIEWS) else OVERVIEW


def _view_links(scan, view):
    """The views in order for the projector's navigation, the current one marked, with the
    previous and next one (the arrow keys follow them)."""
    url = reverse("quickscan_results", args=[scan.pk])
    links = [
        {"code": code, "label": label, "url": f"{url}?view={code}", "current": code == view}
        for code, label in VIEWS
    ]
    index = next(number for number, link in enumerate(links) if link["current"])
    return {
        "views": links,
        "previous_view": links[index - 1] if index > 0 else None,
        "next_view": links[index + 1] if index + 1 < len(links) else None,
    }


def _live(request, scan, view=OVERVIEW):
    """What the projector shows and the polled state sends for one ``view``: the chart
    (with the QR code while open), the counts per side and the cross-tab, or the word
    clouds. While the results are hidden: the number of answers only, on every view."""
    share = _share(request, scan) if scan.is_open and view == OVERVIEW else {}
    if not scan.results_shown:
        return {
            "scan": scan,
            "view": view,
            "hidden": True,
            "total": scan.responses.count(),
            **share,
        }
    counts = services.quickscan_counts(scan)
    return {
        "scan": scan,
        "view": view,
        "counts": counts,
        "chart": quickscan_chart(counts) if view == OVERVIEW else "",
        "clouds": _clouds(counts) if view == WORDS else [],
        **share,
    }


LIVE_TIMEOUT = 60 * 10


def _live_html(request, scan, version, view):
    """The projector's results for this version and view: built once, then shared by every
    poll.

    Keyed by version, view, language and host (the short link in it names the host), so
    1,000 answers a minute cost one rendering per poll interval, not one per poll.
    """
    host = hashlib.sha256(request.get_host().encode()).hexdigest()[:16]
    key = f"quickscan:live:{scan.pk}:{version}:{view}:{translation.get_language()}:{host}"
    html = cache.get(key)
    if html is None:
        html = render_to_string(
            TEMPLATES + "_results_live.html", _live(request, scan, view), request=request
        )
        cache.set(key, html, LIVE_TIMEOUT)
    return html


@login_required
@require_GET
def quickscan_results(request, pk):
    scan = access.quickscan_for(request.user, pk)
    version = services.live_version(scan)
    view = _view(request)
    return render(
        request,
        TEMPLATES + "results.html",
        {
            **_live(request, scan, view),
            **_view_links(scan, view),
            "poll_seconds": POLL_SECONDS,
            "version": version,
        },
    )


@never_cache
@login_required
@require_GET
def quickscan_results_state(request, pk):
    """The version, and the results of ``?view=`` as HTML when they changed since
    ``?version=``."""
    scan = access.quickscan_for(request.user, pk)
    version = services.live_version(scan)
    state = {"version": version, "open": scan.is_open, "shown": scan.results_shown}
    if request.GET.get("version") != version:
        state["html"] = _live_html(request, scan, version, _view(request))
    response = JsonResponse(state)
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def quickscan_close(request, pk):
    scan = access.quickscan_for(request.user, pk)
    if request.method == "POST":
        try:
            services.quickscan_close(scan=scan, by=request.user)
        except DomainError as error:
            messages.info(request, error.message)
        else:
            messages.success(
                request, _("The Quick Scan is closed. Its results stay available here.")
            )
        return redirect("quickscan_detail", pk=scan.pk)
    return render(
        request,
        TEMPLATES + "close.html",
        {"scan": scan, "response_count": scan.responses.count()},
    )


@login_required
@require_http_methods(["GET", "POST"])
def quickscan_delete(request, pk):
    """Ask first; then remove the scan and its answers for good."""
    scan = access.quickscan_for(request.user, pk)
    if request.method == "POST":
        try:
            count = services.quickscan_delete(scan=scan, by=request.user)
        except DomainError as error:
            messages.error(request, error.message)
            return redirect("quickscan_detail", pk=scan.pk)
        messages.success(
            request,
            ngettext(
                "“%(title)s” was deleted with its %(count)d answer.",
                "“%(title)s” was deleted with its %(count)d answers.",
                count,
            )
            % {"title": scan.title, "count": count},
        )
        return redirect("quickscan_list")
    return render(
        request,
        TEMPLATES + "delete.html",
        {"scan": scan, "response_count": scan.responses.count()},
    )


@login_required
@require_POST
def quickscan_reveal(request, pk):
    """Show the hidden results: the projector shows them on its next poll."""
    scan = access.quickscan_for(request.user, pk)
    try:
        services.quickscan_reveal(scan=scan, by=request.user)
    except DomainError as error:
        messages.info(request, error.message)
    else:
        messages.success(request, _("The results are shown on the projector and to participants."))
    return redirect("quickscan_detail", pk=scan.pk)


def _csv_cell(value):
    return safe_text(value) if isinstance(value, str) else value


@login_required
@require_GET
def quickscan_csv(request, pk):
    """Every answer so far, also while the scan is open; safe against CSV injection."""
    scan = access.quickscan_for(request.user, pk)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in services.quickscan_csv_rows(scan):
        writer.writerow([_csv_cell(value) for value in row])
    audit.download(request, kind="csv", what="quick scan")
    return attachment(
        ("\ufeff" + buffer.getvalue()).encode("utf-8"),
        content_type=CSV,
        filename=f"quickscan-{scan.code}.csv",
    )


@login_required
@require_GET
def quickscan_xlsx(request, pk):
    """The same table as the CSV file, as a spreadsheet."""
    scan = access.quickscan_for(request.user, pk)
    header, rows = services.quickscan_table(scan)
    content = xlsx_workbook(header, rows, title="Quick Scan")
    audit.download(request, kind="xlsx", what="quick scan")
    return attachment(content, content_type=XLSX, filename=f"quickscan-{scan.code}.xlsx")


@login_required
@require_http_methods(["GET", "POST"])
def quickscan_start_session(request, pk):
    """A full session in the scan's learning community, prefilled from the scan."""
    scan = access.quickscan_for_session_start(request.user, pk)
    community = scan.community
    if request.method == "POST":
        form = SessionForm(request.POST, community=community)
    else:
        candidates = facilitator_candidates(community)
        form = SessionForm(
            initial={
                "title": scan.title,
                "organisations": list(community.organisations.all()),
                "facilitators": list(candidates.filter(pk=request.user.pk)),
            },
            community=community,
        )
    if request.method == "POST" and scan.session_id is None and form.is_valid():
        data = form.cleaned_data
        try:
            session = services.quickscan_start_session(
                scan=scan,
                by=request.user,
                title=data["title"],
                date=data["date"],
                organisations=list(data["organisations"]),
                facilitators=list(data["facilitators"]),
                catalogue=data["catalogue"],
            )
        except DomainError as error:
            show_in_form(form, error)
        else:
            messages.success(
                request,
                _(
                    "Session “%(title)s” created as a draft from the Quick Scan. The session "
                    "page links back to the Quick Scan's results."
                )
                % {"title": session.title},
            )
            return redirect("session_detail", pk=session.pk)
    return render(
        request,
        TEMPLATES + "start_session.html",
        {"scan": scan, "form": form, "community": community},
    )


# --- the participant's sheet ----------------------------------------------------


# One line per cluster (as in the domain summary); the catalogue's longer explanation
# and the motives are one tap away on the sheet.
SHORT_EXPLANATIONS = {
    "legitimising": gettext_lazy(
        "The organisation's right to exist: public acceptance, image and reputation, a mandate."
    ),
    "development": gettext_lazy("Learning from each other and arriving at new, shared insights."),
    "capital": gettext_lazy(
        "Social capital (the network), innovative capacity and financial capital."
    ),
    "societal": gettext_lazy(
        "Contributing to complex societal issues; external pressure or a moral appeal."
    ),
}


def _sheet_rows(clusters, partner_type):
    """Per cluster: its short explanation and the motives the catalogue offers that side."""
    return [
        {
            "cluster": cluster,
            "short": SHORT_EXPLANATIONS.get(cluster.code) or cluster.explanation,
            "motives": [m for m in cluster.active_motives if m.offered_to(partner_type)],
        }
        for cluster in clusters
    ]


def _closed_page(request, scan):
    return render(request, TEMPLATES + "closed.html", {"scan": scan}, status=410)


def _sheet(request, scan, form, *, saved, browser_key, refused=None, status=200):
    response = render(
        request,
        TEMPLATES + "join.html",
        {
            "scan": scan,
            "form": form,
            "education_rows": _sheet_rows(form.clusters, PartnerType.EDUCATION),
            "practice_rows": _sheet_rows(form.clusters, PartnerType.PRACTICE),
            "chosen": form.chosen_values(),
            "saved": saved,
            "refused": refused,
        },
        status=status,
    )
    limits.remember_browser(request, response, browser_key)
    return response


@never_cache
@require_http_methods(["GET", "POST"])
def quickscan_join(request, code):
    normalised = services.normalise_code(code)
    scan = None
    if services.looks_like_a_code(normalised):
        scan = QuickScan.objects.filter(code=normalised).first()
    if scan is None:
        return render(request, TEMPLATES + "unknown.html", {"code": code}, status=404)
    if not people.can_respond_to_quick_scan(scan):
        return _closed_page(request, scan)
    # A browser without a valid cookie gets its id on the first visit, so that a
    # double tap on "save" changes one answer instead of making two.
    browser_key = limits.browser_key(request) or secrets.token_urlsafe(18)
    saved = services.response_for(scan, browser_key)
    clusters = services.clusters_in_order()
    if request.method != "POST":
        initial = {}
        if saved is not None:
            initial = {
                "side": saved.side,
                "education_clusters": saved.education_clusters,
                "practice_clusters": saved.practice_clusters,
                **{open_field(code): text for code, text in (saved.open_answers or {}).items()},
            }
        form = QuickScanAnswerForm(initial=initial, clusters=clusters)
        return _sheet(request, scan, form, saved=saved, browser_key=browser_key)

    form = QuickScanAnswerForm(request.POST, clusters=clusters)
    if not form.is_valid():
        return _sheet(request, scan, form, saved=saved, browser_key=browser_key)
    if limits.too_soon(scan, browser_key):
        return _sheet(
            request, scan, form, saved=saved, browser_key=browser_key, refused="soon", status=429
        )
    if limits.too_many_saves(scan, browser_key):
        return _sheet(
            request, scan, form, saved=saved, browser_key=browser_key, refused="saves", status=429
        )
    claimed = saved is None and limits.claim_new_participant(scan)
    if saved is None and not claimed:
        return _sheet(
            request, scan, form, saved=saved, browser_key=browser_key, refused="full", status=429
        )
    try:
        _response, created = services.quickscan_respond(
            scan=scan,
            browser_key=browser_key,
            side=form.cleaned_data["side"],
            education_clusters=form.cleaned_data["education_clusters"],
            practice_clusters=form.cleaned_data["practice_clusters"],
            open_answers=form.open_answers(),
        )
    except QuickScanClosed:
        if claimed:
            limits.release_participant(scan)
        return _closed_page(request, scan)
    except DomainError as error:
        if claimed:
            limits.release_participant(scan)
        show_in_form(form, error)
        return _sheet(request, scan, form, saved=saved, browser_key=browser_key)
    if claimed and not created:  # the same browser's other tab was first: no new place
        limits.release_participant(scan)
    response = redirect("quickscan_join", code=scan.code)
    limits.remember_browser(request, response, browser_key)
    return response
