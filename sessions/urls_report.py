from django.urls import path

from sessions.views import report

urlpatterns = [
    path("sessions/<int:pk>/report.pdf", report.session_report, name="session_report"),
]
