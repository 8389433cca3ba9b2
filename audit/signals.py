"""Events recorded from signals, so that every path is covered: services, imports, the admin.

- sign-ins, with the method (password, institution account, e-mail link);
- memberships added and removed;
- roles: coordinator of a community, facilitator of a session, a group (researchers,
  community creators), staff and superuser status.
"""

from typing import Any

from django.apps import apps
from django.contrib.auth.signals import user_logged_in
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save

from audit.events import record
from audit.models import Action

SIGN_IN_METHODS = {
    "django.contrib.auth.backends.ModelBackend": "password",
    "mozilla_django_oidc.auth.OIDCAuthenticationBackend": "institution",
    "signin.oidc.InstitutionBackend": "institution",
    "sesame.backends.ModelBackend": "email_link",
}


def sign_in_method(backend: str) -> str:
    return SIGN_IN_METHODS.get(backend, backend.rsplit(".", 1)[-1] if backend else "unknown")


def _signed_in(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    backend = getattr(user, "backend", "") or (
        request.session.get("_auth_user_backend", "") if request is not None else ""
    )
    record(Action.SIGN_IN, actor=user, subject=user, method=sign_in_method(backend))


def _membership_saved(sender: Any, instance: Any, created: bool, raw: bool = False, **kw) -> None:
    if created and not raw:
        organisation = instance.organisation
        record(
            Action.MEMBERSHIP_ADDED,
            subject=instance.person,
            community=organisation.community,
            organisation=organisation.name,
        )


def _membership_deleted(sender: Any, instance: Any, **kwargs: Any) -> None:
    organisation = instance.organisation
    community = organisation.community
    # Deleting a whole community removes its memberships first: the event then keeps the
    # community's name only, since a link to the row being deleted could not be stored.
    origin = kwargs.get("origin")
    community_goes = getattr(origin, "model", type(origin)) is type(community)
    record(
        Action.MEMBERSHIP_REMOVED,
        subject=instance.person,
        community=None if community_goes else community,
        community_name=community.name,
        organisation=organisation.name,
    )


def _role_change(role: str, scope_of: Any):
    """An m2m handler for coordinators or facilitators, from either side of the relation."""

    def handler(sender, instance, action, reverse, model, pk_set, **kwargs):
        if action not in ("post_add", "pre_remove", "pre_clear"):
            return
        User = apps.get_model("partnerships", "User")
        person_field = next(f for f in sender._meta.fields if f.related_model is User)
        scope_field = next(
            f for f in sender._meta.fields if f.is_relation and f.related_model is not User
        )
        if reverse:  # instance is the person, model the community or session
            if action == "pre_clear":
                pk_set = sender.objects.filter(**{person_field.attname: instance.pk}).values_list(
                    scope_field.attname, flat=True
                )
            pairs = [(instance, scope) for scope in model.objects.filter(pk__in=list(pk_set))]
        else:
            if action == "pre_clear":
                pk_set = sender.objects.filter(**{scope_field.attname: instance.pk}).values_list(
                    person_field.attname, flat=True
                )
            pairs = [(person, instance) for person in User.objects.filter(pk__in=list(pk_set))]
        for person, scope in pairs:
            community, session = scope_of(scope)
            record(
                Action.ROLE_ADDED if action == "post_add" else Action.ROLE_REMOVED,
                subject=person,
                community=community,
                session=session,
                role=role,
            )

    return handler


def _group_change(sender, instance, action, reverse, model, pk_set, **kwargs):
    if action not in ("post_add", "pre_remove"):
        return
    User = apps.get_model("partnerships", "User")
    if reverse:  # group.user_set changed
        pairs = [(person, instance.name) for person in User.objects.filter(pk__in=pk_set or ())]
    else:
        pairs = [(instance, group.name) for group in model.objects.filter(pk__in=pk_set or ())]
    for person, group in pairs:
        record(
            Action.ROLE_ADDED if action == "post_add" else Action.ROLE_REMOVED,
            subject=person,
            role="group",
            group=group,
        )


def _staff_flags_before(sender, instance, raw=False, **kwargs):
    instance._audit_flags_before = None
    if raw or instance.pk is None:
        return
    before = sender.objects.filter(pk=instance.pk).values("is_staff", "is_superuser").first()
    instance._audit_flags_before = before


def _staff_flags_after(sender, instance, created, raw=False, **kwargs):
    before = getattr(instance, "_audit_flags_before", None)
    if raw:
        return
    for flag in ("is_staff", "is_superuser"):
        was = bool(before and before[flag])
        now = bool(getattr(instance, flag))
        if was != now and (now or not created):
            record(
                Action.ROLE_ADDED if now else Action.ROLE_REMOVED,
                subject=instance,
                role="staff" if flag == "is_staff" else "superuser",
            )


def connect() -> None:
    User = apps.get_model("partnerships", "User")
    Membership = apps.get_model("partnerships", "Membership")
    LearningCommunity = apps.get_model("partnerships", "LearningCommunity")
    DialogueSession = apps.get_model("dialogue_sessions", "DialogueSession")
    user_logged_in.connect(_signed_in, dispatch_uid="audit_sign_in")
    post_save.connect(_membership_saved, sender=Membership, dispatch_uid="audit_membership_add")
    post_delete.connect(
        _membership_deleted, sender=Membership, dispatch_uid="audit_membership_remove"
    )
    m2m_changed.connect(
        _role_change("coordinator", lambda community: (community, None)),
        sender=LearningCommunity.coordinators.through,
        dispatch_uid="audit_coordinators",
        weak=False,
    )
    m2m_changed.connect(
        _role_change("facilitator", lambda session: (session.community, session)),
        sender=DialogueSession.facilitators.through,
        dispatch_uid="audit_facilitators",
        weak=False,
    )
    m2m_changed.connect(_group_change, sender=User.groups.through, dispatch_uid="audit_groups")
    pre_save.connect(_staff_flags_before, sender=User, dispatch_uid="audit_staff_before")
    post_save.connect(_staff_flags_after, sender=User, dispatch_uid="audit_staff_after")
