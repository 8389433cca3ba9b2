from django.urls import path

from sessions.views import invitations

urlpatterns = [
    path(
        "sessions/<int:session_pk>/invitations/",
        invitations.invitation_list,
        name="invitation_list",
    ),
    path(
        "sessions/<int:session_pk>/invitations/new/",
        invitations.invitation_create,
        name="invitation_create",
    ),
    path(
        "sessions/<int:session_pk>/invitations/<int:pk>/resend/",
        invitations.invitation_resend,
        name="invitation_resend",
    ),
    path(
        "sessions/<int:session_pk>/invitations/<int:pk>/revoke/",
        invitations.invitation_revoke,
        name="invitation_revoke",
    ),
    path("invite/<str:token>/", invitations.invitation_accept, name="invitation_accept"),
]
