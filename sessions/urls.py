"""Every URL of the app, one list per room, included once from ``sms_tool.urls``."""

from django.urls import path

from sessions.comparison import views as comparison
from sessions.dialogue import deciding_views as deciding
from sessions.dialogue import views as dialogue
from sessions.interchange import views as interchange
from sessions.invitations import views as invitations
from sessions.lifecycle import views as lifecycle
from sessions.preparation import views as preparation
from sessions.quickscan import views as quickscan
from sessions.report import views as report
from sessions.research import views as research
from sessions.schedule import views as schedule

lifecycle_patterns = [
    path("", lifecycle.home, name="home"),
    path("communities/<int:pk>/sessions/new/", lifecycle.session_create, name="session_create"),
    path("sessions/<int:pk>/", lifecycle.session_detail, name="session_detail"),
    path("sessions/<int:pk>/edit/", lifecycle.session_edit, name="session_edit"),
    path("sessions/<int:pk>/phase/", lifecycle.session_phase, name="session_phase"),
]

preparation_patterns = [
    path(
        "sessions/<int:session_pk>/preparations/<int:pk>/",
        preparation.preparation_detail,
        name="preparation_detail",
    ),
    path(
        "sessions/<int:session_pk>/preparations/<int:pk>/autosave/",
        preparation.preparation_autosave,
        name="preparation_autosave",
    ),
    path(
        "sessions/<int:session_pk>/preparations/<int:pk>/submit/",
        preparation.preparation_submit,
        name="preparation_submit",
    ),
    path(
        "sessions/<int:session_pk>/preparations/<int:pk>/withdraw/",
        preparation.preparation_withdraw,
        name="preparation_withdraw",
    ),
    path(
        "sessions/<int:session_pk>/preparations/<int:pk>/participants/",
        preparation.preparation_participants,
        name="preparation_participants",
    ),
    path(
        "sessions/<int:session_pk>/preparations/<int:pk>/copy-previous/",
        preparation.preparation_copy_previous,
        name="preparation_copy_previous",
    ),
    path(
        "sessions/<int:session_pk>/preparations/<int:pk>/guide/",
        invitations.preparation_guides,
        name="preparation_guides",
    ),
    path(
        "sessions/<int:session_pk>/preparations/<int:pk>/guide/<int:person_pk>/remove/",
        invitations.preparation_guide_remove,
        name="preparation_guide_remove",
    ),
    path(
        "sessions/<int:session_pk>/preparations/<int:pk>/guide/invitations/<int:invitation_pk>/revoke/",
        invitations.preparation_guide_invitation_revoke,
        name="preparation_guide_invitation_revoke",
    ),
]

invitation_patterns = [
    path(
        "sessions/<int:session_pk>/invitations/",
        invitations.invitation_list,
        name="invitation_list",
    ),
    path(
        "sessions/<int:session_pk>/invitations/new/",
        invitations.invitation_create,
        name="invitation_create",
    ),
    path(
        "sessions/<int:session_pk>/invitations/several/",
        invitations.invitation_bulk,
        name="invitation_bulk",
    ),
    path(
        "sessions/<int:session_pk>/invitations/<int:pk>/resend/",
        invitations.invitation_resend,
        name="invitation_resend",
    ),
    path(
        "sessions/<int:session_pk>/invitations/<int:pk>/revoke/",
        invitations.invitation_revoke,
        name="invitation_revoke",
    ),
    path("invite/<str:token>/", invitations.invitation_accept, name="invitation_accept"),
]

dialogue_patterns = [
    path("sessions/<int:pk>/results/", dialogue.session_results, name="session_results"),
    path(
        "sessions/<int:pk>/joint-motives/<int:item_pk>/edit/",
        dialogue.joint_motive_edit,
        name="joint_motive_edit",
    ),
    path(
        "sessions/<int:pk>/joint-motives/<int:item_pk>/delete/",
        dialogue.joint_motive_delete,
        name="joint_motive_delete",
    ),
    path(
        "sessions/<int:pk>/agreements/<int:item_pk>/edit/",
        dialogue.agreement_edit,
        name="agreement_edit",
    ),
    path(
        "sessions/<int:pk>/agreements/<int:item_pk>/delete/",
        dialogue.agreement_delete,
        name="agreement_delete",
    ),
    path(
        "sessions/<int:pk>/notes/<int:item_pk>/delete/",
        dialogue.note_delete,
        name="note_delete",
    ),
    path("sessions/<int:pk>/review/", dialogue.review_list, name="review_list"),
    # deciding together: dots, positions, offers and needs, what agreements serve
    path("sessions/<int:pk>/vote/", deciding.session_vote, name="session_vote"),
    path("sessions/<int:pk>/votes/", deciding.session_votes_live, name="session_votes_live"),
    path("sessions/<int:pk>/votes/promote/", deciding.vote_promote, name="vote_promote"),
    path("sessions/<int:pk>/positions/", deciding.session_positions, name="session_positions"),
    path("sessions/<int:pk>/exchange/", deciding.session_exchange, name="session_exchange"),
    path("sessions/<int:pk>/priorities/", deciding.session_priorities, name="session_priorities"),
    path("sessions/<int:pk>/history/", deciding.session_history, name="session_history"),
    path(
        "sessions/<int:pk>/agreements/<int:agreement_pk>/serves/",
        deciding.agreement_serves,
        name="agreement_serves",
    ),
    path(
        "sessions/<int:session_pk>/preparations/<int:pk>/positions/",
        deciding.preparation_positions,
        name="preparation_positions",
    ),
    path(
        "sessions/<int:session_pk>/preparations/<int:pk>/offers/",
        deciding.preparation_offers,
        name="preparation_offers",
    ),
    path(
        "sessions/<int:session_pk>/preparations/<int:pk>/own-review/",
        deciding.preparation_own_review,
        name="preparation_own_review",
    ),
    path("sessions/<int:pk>/next-round/", dialogue.session_next_round, name="session_next_round"),
]

comparison_patterns = [
    path("sessions/<int:pk>/comparison/", comparison.session_comparison, name="session_comparison"),
    path("sessions/<int:pk>/present/", comparison.session_present, name="session_present"),
    path(
        "sessions/<int:pk>/present/state/",
        comparison.session_present_state,
        name="session_present_state",
    ),
]

report_patterns = [
    path("sessions/<int:pk>/report.pdf", report.session_report, name="session_report"),
]

quickscan_patterns = [
    path("quickscans/", quickscan.quickscan_list, name="quickscan_list"),
    path("quickscans/new/", quickscan.quickscan_create, name="quickscan_create"),
    path("quickscans/<int:pk>/", quickscan.quickscan_detail, name="quickscan_detail"),
    path("quickscans/<int:pk>/results/", quickscan.quickscan_results, name="quickscan_results"),
    path(
        "quickscans/<int:pk>/results/state/",
        quickscan.quickscan_results_state,
        name="quickscan_results_state",
    ),
    path("quickscans/<int:pk>/close/", quickscan.quickscan_close, name="quickscan_close"),
    path("quickscans/<int:pk>/results.csv", quickscan.quickscan_csv, name="quickscan_csv"),
    path("quickscans/<int:pk>/results.xlsx", quickscan.quickscan_xlsx, name="quickscan_xlsx"),
    path("quickscans/<int:pk>/reveal/", quickscan.quickscan_reveal, name="quickscan_reveal"),
    path("quickscans/<int:pk>/delete/", quickscan.quickscan_delete, name="quickscan_delete"),
    path(
        "quickscans/<int:pk>/start-session/",
        quickscan.quickscan_start_session,
        name="quickscan_start_session",
    ),
    # the short link participants type or scan: no account needed
    path("q/<str:code>/", quickscan.quickscan_join, name="quickscan_join"),
]

research_patterns = [
    path("research/cross-case/", research.research_cross_case, name="research_cross_case"),
    path(
        "research/cross-case.csv", research.research_cross_case_csv, name="research_cross_case_csv"
    ),
    path(
        "research/cross-case.xlsx",
        research.research_cross_case_xlsx,
        name="research_cross_case_xlsx",
    ),
    path(
        "research/qualitative.csv",
        research.research_qualitative_csv,
        name="research_qualitative_csv",
    ),
]

interchange_patterns = [
    path("communities/<int:pk>/import/", interchange.community_import, name="community_import"),
    path("sessions/<int:pk>/export.json", interchange.session_export, name="session_export"),
    path(
        "sessions/<int:pk>/answers.csv", interchange.session_answers_csv, name="session_answers_csv"
    ),
    path(
        "sessions/<int:pk>/answers.xlsx",
        interchange.session_answers_xlsx,
        name="session_answers_xlsx",
    ),
]

schedule_patterns = [
    path("sessions/<int:pk>/deadline/", schedule.session_deadline, name="session_deadline"),
    path("sessions/<int:pk>/follow-up/", schedule.session_follow_up, name="session_follow_up"),
]

urlpatterns = [
    *lifecycle_patterns,
    *preparation_patterns,
    *invitation_patterns,
    *dialogue_patterns,
    *comparison_patterns,
    *report_patterns,
    *quickscan_patterns,
    *research_patterns,
    *interchange_patterns,
    *schedule_patterns,
]
