"""factory_boy factories for every model; tests build their data with these."""

import datetime
import hashlib
import secrets

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from motives.models import Cluster, Motive
from partnerships.models import (
    LearningCommunity,
    Membership,
    Organisation,
    PartnerType,
    Setting,
    User,
)
from sessions.models import (
    Agreement,
    Answer,
    DialogueSession,
    Invitation,
    InvitationRole,
    JointMotive,
    Note,
    OtherMotive,
    Phase,
    Preparation,
)

PASSWORD = "a-good-test-password"  # noqa: S105


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("email",)

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    name = factory.Faker("name", locale="nl_NL")
    password = factory.django.Password(PASSWORD)


class LearningCommunityFactory(DjangoModelFactory):
    class Meta:
        model = LearningCommunity

    name = factory.Sequence(lambda n: f"Learning community {n}")
    sector = "ICT"
    setting = Setting.PUBLIC_PRIVATE
    start_year = 2015


class OrganisationFactory(DjangoModelFactory):
    class Meta:
        model = Organisation

    community = factory.SubFactory(LearningCommunityFactory)
    name = factory.Sequence(lambda n: f"Organisation {n}")
    partner_type = PartnerType.PRACTICE


class MembershipFactory(DjangoModelFactory):
    class Meta:
        model = Membership

    person = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)


class ClusterFactory(DjangoModelFactory):
    class Meta:
        model = Cluster
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"cluster-{n}")
    order = factory.Sequence(lambda n: 100 + n)
    label_nl = factory.LazyAttribute(lambda o: f"Cluster {o.code}")
    label_en = factory.LazyAttribute(lambda o: f"Cluster {o.code}")


class MotiveFactory(DjangoModelFactory):
    class Meta:
        model = Motive
        django_get_or_create = ("code",)

    cluster = factory.SubFactory(ClusterFactory)
    code = factory.Sequence(lambda n: f"extra.motive-{n}")
    order = factory.Sequence(lambda n: n)
    label_nl = factory.LazyAttribute(lambda o: f"Motief {o.code}")
    label_en = factory.LazyAttribute(lambda o: f"Motive {o.code}")


class DialogueSessionFactory(DjangoModelFactory):
    class Meta:
        model = DialogueSession

    community = factory.SubFactory(LearningCommunityFactory)
    title = factory.Sequence(lambda n: f"Session {n}")
    date = datetime.date(2026, 3, 12)
    phase = Phase.PREPARATION


class PreparationFactory(DjangoModelFactory):
    class Meta:
        model = Preparation
        skip_postgeneration_save = True

    session = factory.SubFactory(DialogueSessionFactory)
    organisation = factory.SubFactory(
        OrganisationFactory, community=factory.SelfAttribute("..session.community")
    )

    @factory.post_generation
    def participants(self, create, extracted, **kwargs):
        """A manager and a staff member took part, as the format asks, unless a test lists
        others (``participants=[("Name", "role"), ...]``, or ``[]`` for nobody)."""
        if not create:
            return
        from sessions.models import Participant

        people = [("M. Manager", "manager"), ("S. Staff", "staff")]
        if extracted is not None:
            people = extracted
        Participant.objects.bulk_create(
            Participant(preparation=self, position=position, name=name, role=role)
            for position, (name, role) in enumerate(people, start=1)
        )


class AnswerFactory(DjangoModelFactory):
    class Meta:
        model = Answer

    preparation = factory.SubFactory(PreparationFactory)
    motive = factory.LazyFunction(lambda: Motive.objects.get(code="capital.network"))
    applies = True
    intended_outcome = "Een sterker netwerk in de regio"


class OtherMotiveFactory(DjangoModelFactory):
    class Meta:
        model = OtherMotive

    preparation = factory.SubFactory(PreparationFactory)
    position = 1
    text = "Eigen motief"


class JointMotiveFactory(DjangoModelFactory):
    class Meta:
        model = JointMotive

    session = factory.SubFactory(DialogueSessionFactory)
    motive = factory.LazyFunction(lambda: Motive.objects.get(code="development.students"))
    intended_outcome = "Studenten leren in de praktijk"


class AgreementFactory(DjangoModelFactory):
    class Meta:
        model = Agreement

    session = factory.SubFactory(DialogueSessionFactory)
    text = "Elk kwartaal een gezamenlijke bijeenkomst"
    owner = "Coördinator"
    due = datetime.date(2026, 6, 1)


class NoteFactory(DjangoModelFactory):
    class Meta:
        model = Note

    session = factory.SubFactory(DialogueSessionFactory)
    text = "Netwerk is voor iedereen belangrijk"


class InvitationFactory(DjangoModelFactory):
    """An open invitation; its raw token is kept on the instance as ``token`` for tests."""

    class Meta:
        model = Invitation

    session = factory.SubFactory(DialogueSessionFactory)
    role = InvitationRole.MEMBER
    organisation = factory.SubFactory(OrganisationFactory)
    email = factory.Sequence(lambda n: f"invitee{n}@example.org")
    token = factory.LazyFunction(lambda: secrets.token_urlsafe(32))
    token_hash = factory.LazyAttribute(lambda o: hashlib.sha256(o.token.encode()).hexdigest())
    expires_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=14))

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        token = kwargs.pop("token")
        invitation = super()._create(model_class, *args, **kwargs)
        invitation.token = token
        return invitation


# --- evaluation rounds ------------------------------------------------------------


class OutcomeReviewFactory(DjangoModelFactory):
    """A review, in a follow-up round, of a joint motive of the previous round."""

    class Meta:
        model = "dialogue_sessions.OutcomeReview"

    session = factory.SubFactory(
        DialogueSessionFactory,
        phase=Phase.DIALOGUE,
        previous=factory.SubFactory(DialogueSessionFactory, phase=Phase.CLOSED),
    )
    joint_motive = factory.SubFactory(
        JointMotiveFactory,
        session=factory.LazyAttribute(lambda o: o.factory_parent.session.previous),
    )
    realised = "partly"
    note = "Twee van de drie stageplekken gerealiseerd"


# --- Quick Scan (workshop mode) -----------------------------------------------------


def _quick_scan_code():
    from sessions.quickscan.services import new_code

    return new_code()


class QuickScanFactory(DjangoModelFactory):
    """An open Quick Scan; ``created_by`` is its owner."""

    class Meta:
        model = "dialogue_sessions.QuickScan"

    title = factory.Sequence(lambda n: f"Workshop {n}")
    code = factory.LazyFunction(_quick_scan_code)
    created_by = factory.SubFactory(UserFactory)


class QuickScanResponseFactory(DjangoModelFactory):
    """One browser's answer; ``browser_key`` is already the stored hash."""

    class Meta:
        model = "dialogue_sessions.QuickScanResponse"

    scan = factory.SubFactory(QuickScanFactory)
    browser_key = factory.LazyFunction(lambda: hashlib.sha256(secrets.token_bytes(16)).hexdigest())
    side = "education"
    education_clusters = factory.LazyFunction(lambda: ["development"])
    practice_clusters = factory.LazyFunction(lambda: ["capital"])


# --- the cross-case research view ---------------------------------------------------


def research_case(
    *,
    sector,
    education=(),
    practice=(),
    not_submitted=(),
    phase=Phase.CLOSED,
    name=None,
    date=datetime.date(2020, 12, 15),
    community=None,
    consent=True,
):
    """A learning community with one session: one organisation per set of motive codes.

    ``education`` and ``practice`` are lists of sets of codes; each set is one
    submitted organisation that answers "applies" to those codes and "no" to the
    other codes offered to it. ``not_submitted``: practice organisations that
    answered likewise but never submitted. A new community has its coordinator's
    consent for the research view unless ``consent`` is False; a given ``community``
    keeps its own. Returns the session.
    """
    community = community or LearningCommunityFactory(
        name=name or f"Case {sector} {LearningCommunity.objects.count() + 1}",
        sector=sector,
        research_consent=consent,
    )
    session = DialogueSessionFactory(community=community, phase=phase, date=date)
    motives = list(Motive.objects.active())
    groups = [
        (PartnerType.EDUCATION, education, True),
        (PartnerType.PRACTICE, practice, True),
        (PartnerType.PRACTICE, not_submitted, False),
    ]
    for partner_type, organisations, submitted in groups:
        for codes in organisations:
            organisation = OrganisationFactory(community=community, partner_type=partner_type)
            preparation = PreparationFactory(
                session=session,
                organisation=organisation,
                submitted_at=timezone.now() if submitted else None,
            )
            Answer.objects.bulk_create(
                Answer(preparation=preparation, motive=motive, applies=motive.code in codes)
                for motive in motives
                if motive.offered_to(partner_type)
            )
    return session


class ResearcherFactory(UserFactory):
    """A person in the Researchers group: sees the cross-case research view."""

    class Meta:
        skip_postgeneration_save = True

    @factory.post_generation
    def researchers_group(self, create, extracted, **kwargs):
        if create:
            from partnerships.groups import ensure_researchers_group

            ensure_researchers_group().user_set.add(self)
