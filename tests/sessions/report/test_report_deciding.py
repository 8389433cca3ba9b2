"""The joint report shows each organisation's priorities, every position, and how each
motive will be realised (issue 14)."""

import io

import pytest
from django.core.cache import cache
from django.utils import timezone
from pypdf import PdfReader

from motives.models import Motive
from partnerships.models import PartnerType
from sessions.models import Consent, Phase
from sessions.report.pdf import render_report
from tests import factories


def text_of(pdf):
    reader = PdfReader(io.BytesIO(pdf))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


@pytest.mark.django_db
def test_the_report_shows_priorities_positions_and_what_serves_each_motive():
    cache.clear()
    session = factories.DialogueSessionFactory(title="Ronde twee", phase=Phase.AGREEMENTS)
    network = Motive.objects.get(code="capital.network")
    orgs = []
    for name, partner_type in (
        ("Hogeschool Oost", PartnerType.EDUCATION),
        ("Zorg West", PartnerType.PRACTICE),
    ):
        organisation = factories.OrganisationFactory(
            community=session.community, name=name, partner_type=partner_type
        )
        preparation = factories.PreparationFactory(
            session=session, organisation=organisation, submitted_at=timezone.now()
        )
        factories.AnswerFactory(preparation=preparation, motive=network, applies=True, priority=1)
        orgs.append(organisation)
    joint = factories.JointMotiveFactory(session=session, motive=network, text="")
    agreement = factories.AgreementFactory(session=session, text="Netwerkdag in juni")
    agreement.serves_joint.add(joint)
    Consent.objects.create(joint_motive=joint, organisation=orgs[0], position="agree")
    Consent.objects.create(
        joint_motive=joint, organisation=orgs[1], position="object", reason="Eerst budget regelen"
    )
    text = text_of(render_report(session, language="nl"))
    assert "Prioriteiten van de organisaties" in text
    assert "nog niet overeengekomen: open bezwaar" in text
    assert "Eerst budget regelen" in text
    assert "Hoe elk motief wordt gerealiseerd" in text
    assert "Uitbreiden/versterken netwerk: Netwerkdag in juni" in text


def session_with_rounds(count):
    """A session in the joint dialogue whose community had ``count`` rounds; one
    organisation's network motive went from "does not apply" to priorities 3, 2, 1."""
    network = Motive.objects.get(code="capital.network")
    first = factories.DialogueSessionFactory(title="Ronde 1", phase=Phase.CLOSED)
    organisation = factories.OrganisationFactory(
        community=first.community, name="Hogeschool Oost", partner_type=PartnerType.EDUCATION
    )
    factories.OrganisationFactory(
        community=first.community, name="Zorg West", partner_type=PartnerType.PRACTICE
    )
    sessions = [first]
    for number in range(2, count + 1):
        sessions.append(
            factories.DialogueSessionFactory(
                community=first.community,
                title=f"Ronde {number}",
                phase=Phase.CLOSED,
                previous=sessions[-1],
            )
        )
    last = sessions[-1]
    last.phase = Phase.AGREEMENTS
    last.save()
    for index, session in enumerate(sessions):
        for member in first.community.organisations.all():
            preparation = factories.PreparationFactory(
                session=session, organisation=member, submitted_at=timezone.now()
            )
            moves = member == organisation
            factories.AnswerFactory(
                preparation=preparation,
                motive=network,
                applies=not moves or index > 0,
                priority=(4 - index) if moves and index > 0 else None,
            )
    return last


@pytest.mark.django_db
def test_the_report_draws_the_movement_from_three_rounds_on():
    cache.clear()
    text = text_of(render_report(session_with_rounds(3), language="nl"))
    assert "Beweging over de rondes" in text
    assert "Hogeschool Oost Uitbreiden/versterken netwerk" in text
    cache.clear()
    assert "Beweging over de rondes" not in text_of(
        render_report(session_with_rounds(1), language="nl")
    )
