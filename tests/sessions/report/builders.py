"""A session as a real evaluation meeting has it: long organisation names, an outcome
for every motive that applies, joint motives and agreements. Used by the report tests
and by ``bench/report_layout.py`` (page counts and page images)."""

from django.utils import timezone

from motives.models import Motive
from partnerships.models import PartnerType
from sessions.models import Answer, Phase, Preparation
from tests import factories

# Real names are long: a school, a programme and a place.
LONG_NAMES = [
    "Hogeschool van Arnhem en Nijmegen – Opleiding Verpleegkunde deeltijd",
    "Stichting Zorggroep Noord-Veluwe Ouderenzorg en Thuiszorg",
    "Fontys Hogeschool ICT Eindhoven – Software Engineering",
    "Gemeente 's-Hertogenbosch, afdeling Maatschappelijke Ontwikkeling",
    "Samenwerkingsverband Passend Onderwijs Rijnmond-Zuid",
    "Technische Installatiebedrijven Brabant-Oost B.V.",
]


def outcome_text(organisation_number: int, motive_index: int) -> str:
    return (
        f"Opbrengst {organisation_number}-{motive_index}: meer stageplaatsen in de regio, "
        "gezamenlijke projecten met studenten en betere afstemming van het curriculum."
    )


def organisation_name(number: int) -> str:
    return f"{LONG_NAMES[number % len(LONG_NAMES)]} ({number + 1})"


def build_meeting_session(organisations: int, *, phase: str = Phase.DIALOGUE):
    """``organisations`` submitted formats; every applying motive has an outcome."""
    session = factories.DialogueSessionFactory(
        title="Evaluatie voorjaar",
        phase=phase,
        community__name=f"Learning Community Zorg en Welzijn {organisations}",
        date=timezone.localdate(),
    )
    session.facilitators.add(factories.UserFactory(name="Carol Procesbegeleider"))
    motives = list(Motive.objects.in_catalogue_order())
    answers = []
    for number in range(organisations):
        partner_type = PartnerType.EDUCATION if number % 3 == 0 else PartnerType.PRACTICE
        organisation = factories.OrganisationFactory(
            community=session.community, name=organisation_name(number), partner_type=partner_type
        )
        preparation = Preparation.objects.create(
            session=session, organisation=organisation, submitted_at=timezone.now()
        )
        for index, motive in enumerate(motives):
            if motive.offered_to(partner_type):
                applies = (index + number) % 3 != 0
                answers.append(
                    Answer(
                        preparation=preparation,
                        motive=motive,
                        applies=applies,
                        intended_outcome=outcome_text(number + 1, index) if applies else "",
                    )
                )
    Answer.objects.bulk_create(answers)
    factories.JointMotiveFactory(
        session=session, motive=motives[4], intended_outcome="Studenten leren in de wijk"
    )
    factories.JointMotiveFactory(
        session=session,
        motive=None,
        text="Samen de zorg in de regio op peil houden",
        intended_outcome="Twee gezamenlijke praktijkleerroutes in 2027",
    )
    factories.AgreementFactory(
        session=session, text="Kwartaaloverleg plannen", owner="Carol", due=None
    )
    factories.AgreementFactory(
        session=session,
        text="Stageplaatsen bundelen in één overzicht",
        owner="Hogeschool",
        due=timezone.localdate(),
    )
    return session


def add_earlier_rounds(session, rounds: int = 2) -> None:
    """``rounds`` closed rounds before ``session`` in which every organisation answered
    every motive of this round, some differently (and with priorities), so that many
    motives moved: the report's movement chart at its largest."""
    from sessions.models import DialogueSession

    previous = None
    current = list(
        Answer.objects.filter(preparation__session=session).select_related("preparation")
    )
    for number in range(rounds):
        earlier = DialogueSession.objects.create(
            community=session.community,
            title=f"Evaluatie ronde {number + 1}",
            phase=Phase.CLOSED,
            previous=previous,
        )
        preparations = {
            organisation: Preparation.objects.create(
                session=earlier, organisation_id=organisation, submitted_at=timezone.now()
            )
            for organisation in {a.preparation.organisation_id for a in current}
        }
        given: dict[int, int] = {}  # priorities 1-3 handed out per organisation
        answers = []
        for index, answer in enumerate(current):
            organisation = answer.preparation.organisation_id
            priority = None
            if index % 7 == number and given.get(organisation, 0) < 3:
                given[organisation] = priority = given.get(organisation, 0) + 1
            answers.append(
                Answer(
                    preparation=preparations[organisation],
                    motive_id=answer.motive_id,
                    applies=bool(answer.applies) != (index % (4 + number) == 0) or bool(priority),
                    priority=priority,
                )
            )
        Answer.objects.bulk_create(answers)
        previous = earlier
    session.previous = previous
    session.save()
