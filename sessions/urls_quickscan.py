from django.urls import path

from sessions.views import quickscan

urlpatterns = [
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
    # the short link participants type or scan: no account needed
    path("q/<str:code>/", quickscan.quickscan_join, name="quickscan_join"),
]
