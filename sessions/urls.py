from django.urls import include, path

from sessions.views import home

urlpatterns = [
    path("", home.home, name="home"),
    path("", include("sessions.urls_preparation")),
    path("", include("sessions.urls_coordinator")),
    path("", include("sessions.urls_invitations")),
    path("", include("sessions.urls_dialogue")),
    path("", include("sessions.urls_comparison")),
    path("", include("sessions.urls_report")),
    path("", include("sessions.urls_quickscan")),
    path("", include("sessions.urls_research")),
    path("", include("sessions.urls_exchange")),
]
