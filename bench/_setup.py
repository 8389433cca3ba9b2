"""Shared set-up for the benchmarks: a throw-away SQLite database and sessions of N organisations.

Benchmarks run outside pytest, with DEBUG off, against their own temporary database.
"""

import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def setup_django():
    """Configure Django on a fresh temporary database and migrate it quietly."""
    sys.path.insert(0, str(ROOT))
    folder = tempfile.mkdtemp(prefix="sms-bench-")
    os.environ["DATABASE_URL"] = f"sqlite:///{folder}/bench.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sms_tool.settings")
    os.environ.setdefault("SECRET_KEY", "benchmark-only-" + "x" * 50)
    os.environ.setdefault("ALLOWED_HOSTS", "testserver")
    os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)


def build_session(organisations, *, phase="dialogue"):
    """A session with ``organisations`` submitted formats, every motive answered."""
    from django.utils import timezone

    from motives.models import Motive
    from partnerships.models import LearningCommunity, Membership, Organisation, User
    from sessions.models import Agreement, Answer, DialogueSession, JointMotive, Preparation

    community = LearningCommunity.objects.create(
        name=f"Bench LC {organisations}", sector="ICT", setting="public-private", start_year=2015
    )
    session = DialogueSession.objects.create(
        community=community, title=f"Bench session {organisations}", phase=phase
    )
    facilitator = User.objects.create_user(
        email=f"fac{organisations}@bench.example.org", name="Fac"
    )
    session.facilitators.add(facilitator)
    member = None
    motives = list(Motive.objects.in_catalogue_order())
    for number in range(organisations):
        partner_type = "education" if number % 3 == 0 else "practice"
        organisation = Organisation.objects.create(
            community=community,
            name=f"Organisatie {organisations}-{number + 1}",
            partner_type=partner_type,
        )
        person = User.objects.create_user(
            email=f"p{organisations}-{number}@bench.example.org", name=f"Persoon {number}"
        )
        Membership.objects.create(person=person, organisation=organisation)
        member = member or person
        preparation = Preparation.objects.create(
            session=session, organisation=organisation, submitted_at=timezone.now()
        )
        Answer.objects.bulk_create(
            Answer(
                preparation=preparation,
                motive=motive,
                applies=(index + number) % 3 != 0,
                intended_outcome=(
                    f"Beoogde opbrengst van organisatie {number + 1} voor dit motief: "
                    "meer samenwerking, betere stages en nieuwe kennis."
                    if (index + number) % 3 != 0
                    else ""
                ),
            )
            for index, motive in enumerate(motives)
            if motive.offered_to(partner_type)
        )
    JointMotive.objects.create(session=session, motive=motives[4], intended_outcome="Samen leren")
    Agreement.objects.create(session=session, text="Elk kwartaal overleggen", owner="Coördinator")
    return session, member


def median(values):
    ordered = sorted(values)
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2
