from django.urls import path

from sessions.views import coordinator

urlpatterns = [
    path("sessions/<int:pk>/", coordinator.session_detail, name="session_detail"),
    path("sessions/<int:pk>/edit/", coordinator.session_edit, name="session_edit"),
    path("sessions/<int:pk>/phase/", coordinator.session_phase, name="session_phase"),
]
