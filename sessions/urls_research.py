from django.urls import path

from sessions.views import research

urlpatterns = [
    path("research/cross-case/", research.research_cross_case, name="research_cross_case"),
    path(
        "research/cross-case.csv", research.research_cross_case_csv, name="research_cross_case_csv"
    ),
    path(
        "research/cross-case.xlsx",
        research.research_cross_case_xlsx,
        name="research_cross_case_xlsx",
    ),
]
