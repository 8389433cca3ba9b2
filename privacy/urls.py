from django.urls import path

from privacy import views

urlpatterns = [
    path("privacy/", views.privacy_statement, name="privacy_statement"),
    path("accessibility/", views.accessibility_statement, name="accessibility_statement"),
    path("account/", views.account, name="account"),
    path("account/my-data.json", views.account_data, name="account_data"),
    path(
        "communities/<int:pk>/retention/",
        views.community_retention,
        name="community_retention",
    ),
]
