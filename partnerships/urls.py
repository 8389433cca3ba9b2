from django.urls import path

from partnerships import views

# Mounted at communities/ (see sms_tool/urls.py).
urlpatterns = [
    path("", views.community_list, name="community_list"),
    path("new/", views.community_create, name="community_create"),
    path("<int:pk>/", views.community_detail, name="community_detail"),
    path("<int:pk>/edit/", views.community_edit, name="community_edit"),
    path("<int:pk>/logo/", views.community_logo, name="community_logo"),
    path("<int:pk>/logo/edit/", views.community_logo_edit, name="community_logo_edit"),
    path("<int:pk>/organisations/new/", views.organisation_add, name="organisation_add"),
    path(
        "<int:pk>/organisations/<int:organisation_pk>/remove/",
        views.organisation_remove,
        name="organisation_remove",
    ),
    path(
        "<int:pk>/research-consent/",
        views.community_research_consent,
        name="community_research_consent",
    ),
]
