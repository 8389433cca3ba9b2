from django.urls import path

from sessions.views import comparison

urlpatterns = [
    path("sessions/<int:pk>/comparison/", comparison.session_comparison, name="session_comparison"),
    path("sessions/<int:pk>/present/", comparison.session_present, name="session_present"),
    path(
        "sessions/<int:pk>/present/state/",
        comparison.session_present_state,
        name="session_present_state",
    ),
]
