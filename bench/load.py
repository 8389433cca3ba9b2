"""Load test: 60 partners sign in and save their formats for 60 s (gunicorn + PostgreSQL).

    .venv/bin/python bench/load.py [--people 60] [--seconds 60] [--pause S] [--ramp 30]
    (make bench runs it with the defaults)

Creates, in a PostgreSQL database of its own (sms_bench on 127.0.0.1, dropped at
the end), one session in preparation with 60 partner organisations, each with one
member whose format is already filled in. Starts the app under gunicorn with
DEBUG off (bench/_server.py), then 60 simulated people, each a thread with its
own connection and cookies, all in a process of their own (forked, so they do not
share an interpreter lock with this one):

1. sign in: GET the sign-in page (CSRF cookie and token), POST e-mail and password.
   People arrive one after another over ``--ramp`` seconds; Django's password
   hashing takes about half a second of CPU per sign-in, by design, so this phase
   is reported on its own and the clock of step 2 starts when everyone is in;
2. for 60 s: GET their format, pause (``--pause`` seconds on average, randomised,
   the time a person takes to type; 0 for a saturation run), change one motive's
   intended outcome to a unique text "save <person>-<n>" and POST the whole form
   with its version, as the browser does. A redirect is an acknowledged save.

Afterwards it checks in the database that each person's last acknowledged text
is the stored one and that the format's version rose by exactly their number of
acknowledged saves (no lost saves). Prints requests per second, p50/p95/p99,
errors, lost saves, the ratios to this run's ceilings (bench/ceilings.py) and
the goals with PASS or FAIL. A benchmark, not a test: never run by pytest or CI.
"""

import argparse
import http.client
import random
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _server import (  # noqa: E402
    DATABASE,
    Browser,
    Figures,
    Gunicorn,
    answer_the_format,
    ceilings,
    configure_django_here,
    drop_database,
    form_fields,
    in_own_process,
    load_average,
    ratio,
    recreate_database,
    run_people,
    server_environment,
    summary,
)

PEOPLE = 60
SECONDS = 60
PAUSE = 5.0  # seconds a person reads and types between saves (people really take minutes)
RAMP = 30.0
TIMEOUT = 60  # seconds: a slower answer counts as an error
PASSWORD = "load-test-password-2026"  # noqa: S105 - a throw-away database
MOTIVE = "capital.network"
GOAL_P95_MS = 200


def prepare_database(people):
    """Migrate, collect static files and create the partners; returns what each person needs."""
    from django.contrib.auth.hashers import make_password
    from django.core.management import call_command
    from django.db import connections

    from motives.models import Motive
    from partnerships.models import (
        LearningCommunity,
        Membership,
        Organisation,
        PartnerType,
        Setting,
        User,
    )
    from sessions.models import DialogueSession, Phase, Preparation

    call_command("migrate", verbosity=0, interactive=False)
    call_command("collectstatic", verbosity=0, interactive=False)
    community = LearningCommunity.objects.create(
        name="Load test LC", sector="ICT", setting=Setting.PUBLIC_PRIVATE, start_year=2015
    )
    session = DialogueSession.objects.create(
        community=community, title="Load test", phase=Phase.PREPARATION
    )
    password = make_password(PASSWORD)  # hashed once: it takes half a second by design
    motives = list(Motive.objects.active().in_catalogue_order())
    changed = Motive.objects.get(code=MOTIVE)
    partners = []
    for number in range(people):
        partner_type = PartnerType.EDUCATION if number % 3 == 0 else PartnerType.PRACTICE
        organisation = Organisation.objects.create(
            community=community, name=f"Load partner {number + 1:02}", partner_type=partner_type
        )
        person = User.objects.create(
            email=f"partner{number + 1:02}@load.example.org",
            name=f"Partner {number + 1}",
            password=password,
        )
        Membership.objects.create(person=person, organisation=organisation)
        preparation = Preparation.objects.create(session=session, organisation=organisation)
        answer_the_format(preparation, motives, partner_type, number)
        partners.append(
            {
                "email": person.email,
                "path": f"/sessions/{session.pk}/preparations/{preparation.pk}/",
                "preparation": preparation.pk,
                "version": preparation.version,
                "answers": preparation.answers.count(),
            }
        )
    connections.close_all()
    return changed.pk, partners


def run(port, partners, motive_pk, *, seconds, pause, ramp):
    """Sign everyone in, then let them save for ``seconds``; the figures and each one's saves."""
    figures = Figures()
    saves = [[] for _ in partners]  # acknowledged texts per person, in order
    window = {}

    def person(index, start):
        partner = partners[index]
        browser = Browser(port, timeout=TIMEOUT)
        chance = random.Random(index)
        time.sleep(ramp * index / len(partners))  # people arrive one after another
        page = None
        try:
            answer, _form = browser.sign_in(partner["email"], PASSWORD)
            if answer.status == 302 and "/accounts/login/" not in answer.location:
                figures.add("sign-in", answer.seconds)
                page = browser.request("GET", partner["path"])  # before the clock starts
            else:
                figures.error(f"sign-in: HTTP {answer.status}")
        except (OSError, http.client.HTTPException) as error:
            figures.error(f"sign-in: {type(error).__name__}")
        start.wait()  # everyone signed in (or failed to): the clock starts
        if page is None:
            return
        window.setdefault("start", time.monotonic())
        until = window["start"] + seconds
        saved = 0
        while time.monotonic() < until:
            if page.status != 200 or 'name="version"' not in page.text:
                figures.error(f"format: HTTP {page.status}")
                break
            if pause:
                time.sleep(chance.uniform(0.5, 1.5) * pause)
            fields = form_fields(page.text, containing='name="version"')
            text = f"save {index}-{saved + 1}"
            fields.update(
                {f"applies_{motive_pk}": "yes", f"outcome_{motive_pk}": text, "save": "1"}
            )
            try:
                answer = browser.request("POST", partner["path"], fields)
            except (OSError, http.client.HTTPException) as error:
                figures.error(f"save: {type(error).__name__}")
                break  # the save may or may not have happened: stop this person here
            if answer.status == 302 and answer.location.endswith(partner["path"]):
                figures.add("save", answer.seconds)
                saved += 1
                saves[index].append(text)
            else:
                figures.error(
                    "save: conflict (409)"
                    if answer.status == 409
                    else f"save: HTTP {answer.status}"
                )
            try:  # the redirect, followed as a browser does
                page = browser.request("GET", partner["path"])
            except (OSError, http.client.HTTPException) as error:
                figures.error(f"format: {type(error).__name__}")
                break
            figures.add("format", page.seconds)
        window["end"] = max(window.get("end", 0), time.monotonic())
        browser.close()

    sign_in_started = time.monotonic()
    failures = run_people(len(partners), person)
    for index, error in failures:
        figures.error(f"person {index}: {type(error).__name__}: {error}")
    sign_in_seconds = window.get("start", time.monotonic()) - sign_in_started
    elapsed = window.get("end", 0) - window.get("start", 0)
    return figures, saves, sign_in_seconds, elapsed


def run_in_own_process(port, partners, motive_pk, **options):
    """``run`` in a process of its own (bench/_server.py's ``in_own_process``); the same results."""

    def plain(*args, **kwargs):
        figures, saves, sign_in_seconds, elapsed = run(*args, **kwargs)
        return figures.latencies, dict(figures.errors), saves, sign_in_seconds, elapsed

    latencies, errors, saves, sign_in_seconds, elapsed = in_own_process(
        plain, port, partners, motive_pk, **options
    )
    figures = Figures()
    figures.latencies, figures.errors = latencies, Counter(errors)
    return figures, saves, sign_in_seconds, elapsed


def check_saves(partners, saves, motive_pk):
    """Each person's last acknowledged text is stored, and the version rose once per save."""
    from sessions.models import Answer, Preparation

    lost, unacknowledged, problems = 0, 0, []
    for index, partner in enumerate(partners):
        preparation = Preparation.objects.get(pk=partner["preparation"])
        stored = Answer.objects.get(preparation=preparation, motive_id=motive_pk).intended_outcome
        increments = preparation.version - partner["version"]
        acknowledged = len(saves[index])
        lost += max(0, acknowledged - increments)
        unacknowledged += max(0, increments - acknowledged)
        if saves[index] and stored != saves[index][-1]:
            lost += 1 if increments >= acknowledged else 0
            problems.append(
                f"person {index}: stored {stored!r}, last acknowledged {saves[index][-1]!r}"
            )
        if preparation.answers.count() != partner["answers"]:
            problems.append(f"person {index}: {preparation.answers.count()} answers stored")
    return lost, unacknowledged, problems


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=int, default=PEOPLE)
    parser.add_argument("--seconds", type=int, default=SECONDS)
    parser.add_argument("--pause", type=float, default=PAUSE, help="mean seconds a person types")
    parser.add_argument(
        "--ramp", type=float, default=RAMP, help="seconds over which people arrive and sign in"
    )
    parser.add_argument("--keep-database", action="store_true")
    arguments = parser.parse_args()
    if not (
        1 <= arguments.people <= 200
        and 1 <= arguments.seconds <= 600
        and 0 <= arguments.pause <= 60
        and 0 <= arguments.ramp <= 300
    ):
        parser.error("at most 200 people, 600 seconds, 60 s pauses and a 300 s ramp")

    ceiling = ceilings(need=["bare"])["bare"]
    load_before = load_average()
    recreate_database(DATABASE)
    env = server_environment()
    try:
        configure_django_here(env)
        motive_pk, partners = prepare_database(arguments.people)
        with Gunicorn("sms_tool.wsgi:application", env, ready_path="/accounts/login/") as server:
            figures, saves, sign_in_seconds, elapsed = run_in_own_process(
                server.port,
                partners,
                motive_pk,
                seconds=arguments.seconds,
                pause=arguments.pause,
                ramp=arguments.ramp,
            )
            server_errors = server.errors_logged()
            description = server.description
        load_after = load_average()
        lost, unacknowledged, problems = check_saves(partners, saves, motive_pk)
    finally:
        from django.db import connections

        connections.close_all()
        if not arguments.keep_database:
            drop_database(DATABASE)

    report(
        arguments,
        figures,
        saves,
        ceiling,
        description=description,
        sign_in_seconds=sign_in_seconds,
        elapsed=elapsed,
        lost=lost,
        unacknowledged=unacknowledged,
        problems=problems,
        server_errors=server_errors,
        load=(load_before, load_after),
    )


def report(arguments, figures, saves, ceiling, **run):
    loop = figures.all_latencies(["format", "save"])
    overall = summary(loop, run["elapsed"])
    errors = sum(figures.errors.values())
    acknowledged = sum(len(texts) for texts in saves)
    print(
        f"Load test: {arguments.people} partners, {run['description']}, PostgreSQL, DEBUG off; "
        f"load average {run['load'][0]} before, {run['load'][1]} after"
    )
    signing = summary(figures.latencies.get("sign-in", []), run["sign_in_seconds"])
    print(
        f"sign-in: {signing['requests']} people arriving over {arguments.ramp:g} s, all in after "
        f"{run['sign_in_seconds']:.1f} s, "
        f"p50 {signing['p50_ms']:.0f} ms, p95 {signing['p95_ms']:.0f} ms "
        f"(password hashing takes ~0.5 s of CPU per sign-in by design)"
    )
    print(
        f"saving for {run['elapsed']:.1f} s with {arguments.pause:g} s pauses: "
        f"{overall['requests']} requests, {overall['rps']:.1f} requests/s, "
        f"{acknowledged} acknowledged saves"
    )
    print(f"{'':>8} {'count':>6} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} {'max ms':>7}")
    for kind, values in [
        ("format", figures.latencies.get("format", [])),
        ("save", figures.latencies.get("save", [])),
        ("all", loop),
    ]:
        row = summary(values, run["elapsed"])
        print(
            f"{kind:>8} {row['requests']:>6} {row['p50_ms']:>7.1f} {row['p95_ms']:>7.1f} "
            f"{row['p99_ms']:>7.1f} {row['max_ms']:>7.1f}"
        )
    print(f"errors: {errors}" + "".join(f"\n  {what}: {n}" for what, n in figures.errors.items()))
    if run["server_errors"]:
        print(
            f"server log: {len(run['server_errors'])} error lines, first: {run['server_errors'][0]}"
        )
    print(f"lost saves: {run['lost']}; stored without acknowledgement: {run['unacknowledged']}")
    for problem in run["problems"][:10]:
        print(f"  {problem}")
    print(
        f"ratios to the bare-view ceiling ({ceiling['rps']:.0f} requests/s with "
        f"{ceiling['people']} people without pause, {ceiling['alone_p50_ms']:.2f} ms alone): "
        f"throughput {ratio(overall['rps'], ceiling['rps']):.2f}, "
        f"p50 {ratio(overall['p50_ms'], ceiling['alone_p50_ms']):.1f}x, "
        f"p95 {ratio(overall['p95_ms'], ceiling['alone_p50_ms']):.1f}x the bare round trip"
    )
    clean = errors == 0 and not run["server_errors"]
    print(f"goal: zero errors: {'PASS' if clean else 'FAIL'} ({errors})")
    print(
        f"goal: zero lost saves: {'PASS' if run['lost'] == 0 and not run['problems'] else 'FAIL'} "
        f"({run['lost']})"
    )
    fast = overall["requests"] > 0 and overall["p95_ms"] < GOAL_P95_MS
    print(
        f"goal: p95 under {GOAL_P95_MS} ms: {'PASS' if fast else 'FAIL'} "
        f"({overall['p95_ms']:.1f} ms over {overall['requests']} requests)"
    )


if __name__ == "__main__":
    main()
