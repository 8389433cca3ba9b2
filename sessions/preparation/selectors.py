"""Reads for one organisation's format that span relations."""

from sessions.models import Answer, Preparation


def previous_answers(preparation: Preparation) -> dict[int, Answer]:
    """Last round's answers of the same organisation, ``{motive_id: Answer}`` (one query).

    Only a format that was submitted last round counts; without a previous round,
    or without a submitted format in it, the result is empty.
    """
    answers = Answer.objects.filter(
        preparation__organisation_id=preparation.organisation_id,
        preparation__session__next_rounds=preparation.session_id,
        preparation__submitted_at__isnull=False,
    )
    return {answer.motive_id: answer for answer in answers}
