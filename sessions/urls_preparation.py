from django.urls import path

from sessions.views import preparation

urlpatterns = [
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
        preparation.preparation_submit_view,
        name="preparation_submit",
    ),
    path(
        "sessions/<int:session_pk>/preparations/<int:pk>/withdraw/",
        preparation.preparation_withdraw_view,
        name="preparation_withdraw",
    ),
]
