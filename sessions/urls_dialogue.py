from django.urls import path

from sessions.views import dialogue

urlpatterns = [
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
    path("sessions/<int:pk>/next-round/", dialogue.session_next_round, name="session_next_round"),
]
