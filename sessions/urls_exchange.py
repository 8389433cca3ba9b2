from django.urls import path

from sessions.views import exchange

urlpatterns = [
    path("communities/<int:pk>/import/", exchange.community_import, name="community_import"),
    path("sessions/<int:pk>/export.json", exchange.session_export, name="session_export"),
    path("sessions/<int:pk>/answers.csv", exchange.session_answers_csv, name="session_answers_csv"),
    path(
        "sessions/<int:pk>/answers.xlsx", exchange.session_answers_xlsx, name="session_answers_xlsx"
    ),
]
