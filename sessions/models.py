import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from motives.models import Cluster, Motive
from partnerships.models import LearningCommunity, Organisation

TITLE_MAX_LENGTH = 200
OUTCOME_MAX_LENGTH = 2000
OTHER_MOTIVE_MAX_LENGTH = 500
AGREEMENT_MAX_LENGTH = 1000
OWNER_MAX_LENGTH = 200
NOTE_MAX_LENGTH = 4000
MAX_OTHER_MOTIVES = 3


class Phase(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PREPARATION = "preparation", _("Preparation")
    DIALOGUE = "dialogue", _("Joint dialogue")
    AGREEMENTS = "agreements", _("Agreements")
    CLOSED = "closed", _("Closed")


class Catalogue(models.TextChoices):
    """Which motives a session's formats offer (``session.catalogue`` in the interchange)."""

    EXTENDED = "extended", _("Extended catalogue (all motives)")
    COMPACT = "compact", _("Compact seed format (the motives of the SMS-tool format)")


class DialogueSession(models.Model):
    """One round of the SMS-tool for a learning community."""

    community = models.ForeignKey(
        LearningCommunity,
        on_delete=models.PROTECT,
        related_name="sessions",
        verbose_name=_("learning community"),
    )
    title = models.CharField(_("title"), max_length=TITLE_MAX_LENGTH)
    date = models.DateField(_("date"), null=True, blank=True)
    phase = models.CharField(_("phase"), max_length=20, choices=Phase.choices, default=Phase.DRAFT)
    facilitators = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="facilitated_sessions",
        verbose_name=_("facilitators"),
    )
    previous = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="next_rounds",
        verbose_name=_("previous session"),
    )
    version = models.PositiveIntegerField(_("version"), default=1)
    # The day organisations should have submitted; reminders go out before it (schedule room).
    preparation_deadline = models.DateField(_("preparation deadline"), null=True, blank=True)
    # The day to look back and start the next round: the coordinators get a mail then.
    review_date = models.DateField(_("review date"), null=True, blank=True)
    catalogue = models.CharField(
        _("motives in the format"),
        max_length=10,
        choices=Catalogue.choices,
        default=Catalogue.EXTENDED,
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("dialogue session")
        verbose_name_plural = _("dialogue sessions")

    def __str__(self):
        return f"{self.title} ({self.community})"


class Versioned(models.Model):
    """A row edited by several people at once: ``version`` detects a concurrent edit."""

    version = models.PositiveIntegerField(
        _("version"), default=1, help_text=_("Raised on every save, to detect concurrent edits.")
    )

    class Meta:
        abstract = True


class EditedVersioned(Versioned):
    """A versioned row that also remembers who saved it last."""

    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("last edited by"),
    )

    class Meta:
        abstract = True


class Preparation(EditedVersioned):
    """One organisation's filled-in format for one session (Fase 1)."""

    session = models.ForeignKey(
        DialogueSession,
        on_delete=models.CASCADE,
        related_name="preparations",
        verbose_name=_("session"),
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="preparations",
        verbose_name=_("organisation"),
    )
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("submitted by"),
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    # The Fase 1 procesbegeleider(s): invited for this organisation in this session only;
    # they read and edit its draft, never submit it (sessions.policy.phases).
    guides = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="guided_preparations",
        verbose_name=_("process guides"),
    )

    class Meta:
        ordering = ["organisation__partner_type", "organisation__name"]
        verbose_name = _("preparation")
        verbose_name_plural = _("preparations")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "organisation"], name="preparation_one_per_organisation"
            ),
        ]

    def __str__(self):
        return f"{self.organisation} – {self.session.title}"

    @property
    def submitted(self):
        return self.submitted_at is not None


# Revisions kept per format. Autosave makes saves frequent, so this is a count, not
# a time: a colleague whose page is older than the last REVISIONS_KEPT saves gets
# every differing field shown as a conflict (nothing is reverted silently).
REVISIONS_KEPT = 50


class PreparationRevision(models.Model):
    """What one version of a format held: the base a later save of that version merges from.

    Written in the same transaction as every save, submission and withdrawal.
    ``values`` maps field keys (``applies:<motive code>``, ``outcome:<motive code>``,
    ``other_text:<slot>``, ``other_cluster:<slot>``, ``other_outcome:<slot>``) to
    what was stored. Private to the organisation: never exported or shown to others;
    deleted with the preparation.
    """

    preparation = models.ForeignKey(
        Preparation,
        on_delete=models.CASCADE,
        related_name="revisions",
        verbose_name=_("preparation"),
    )
    version = models.PositiveIntegerField(_("version"))
    values = models.JSONField(_("values"), default=dict)
    saved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("saved by"),
    )
    saved_at = models.DateTimeField(_("saved"), auto_now_add=True)

    class Meta:
        ordering = ["preparation", "version"]
        verbose_name = _("revision of a format")
        verbose_name_plural = _("revisions of formats")
        constraints = [
            models.UniqueConstraint(
                fields=["preparation", "version"], name="preparation_revision_one_per_version"
            ),
        ]

    def __str__(self):
        return f"{self.preparation_id} v{self.version}"


class Answer(models.Model):
    """Whether a catalogue motive applies to the organisation, and the outcome it intends.

    ``applies`` is None while the motive is not answered, which differs from "no".
    """

    preparation = models.ForeignKey(
        Preparation, on_delete=models.CASCADE, related_name="answers", verbose_name=_("preparation")
    )
    motive = models.ForeignKey(
        Motive, on_delete=models.PROTECT, related_name="answers", verbose_name=_("motive")
    )
    applies = models.BooleanField(_("applies"), null=True, blank=True)
    intended_outcome = models.TextField(
        _("intended outcome"), blank=True, max_length=OUTCOME_MAX_LENGTH
    )
    # 1, 2 or 3: the organisation's three most important motives; each at most once.
    priority = models.PositiveSmallIntegerField(_("priority"), null=True, blank=True)
    # Copied from the organisation's answer of the previous round and not yet
    # confirmed by a partner: confirming it, or changing and saving it, clears this.
    copied_from_previous = models.BooleanField(_("copied from the previous round"), default=False)

    class Meta:
        ordering = ["motive__cluster__order", "motive__order"]
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.UniqueConstraint(fields=["preparation", "motive"], name="answer_one_per_motive"),
            models.UniqueConstraint(
                fields=["preparation", "priority"],
                condition=Q(priority__isnull=False),
                name="answer_priority_once_per_preparation",
            ),
            models.CheckConstraint(
                condition=Q(priority__isnull=True) | (Q(priority__gte=1) & Q(priority__lte=3)),
                name="answer_priority_one_to_three",
            ),
        ]

    def __str__(self):
        return f"{self.motive.code}: {self.applies}"


class OtherMotive(models.Model):
    """A motive of the organisation's own that the catalogue lacks (at most three)."""

    preparation = models.ForeignKey(
        Preparation,
        on_delete=models.CASCADE,
        related_name="other_motives",
        verbose_name=_("preparation"),
    )
    position = models.PositiveSmallIntegerField(_("position"))
    cluster = models.ForeignKey(
        Cluster,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("cluster"),
    )
    text = models.CharField(_("motive"), max_length=OTHER_MOTIVE_MAX_LENGTH)
    intended_outcome = models.TextField(
        _("intended outcome"), blank=True, max_length=OUTCOME_MAX_LENGTH
    )

    class Meta:
        ordering = ["position"]
        verbose_name = _("other motive")
        verbose_name_plural = _("other motives")
        constraints = [
            models.UniqueConstraint(
                fields=["preparation", "position"], name="other_motive_position_unique"
            ),
            models.CheckConstraint(
                condition=Q(position__gte=1) & Q(position__lte=MAX_OTHER_MOTIVES),
                name="other_motive_at_most_three",
            ),
        ]

    def __str__(self):
        return self.text


class JointMotive(EditedVersioned):
    """A motive the partners agree on together: a catalogue motive or free text."""

    session = models.ForeignKey(
        DialogueSession,
        on_delete=models.CASCADE,
        related_name="joint_motives",
        verbose_name=_("session"),
    )
    position = models.PositiveIntegerField(_("position"), default=0)
    motive = models.ForeignKey(
        Motive,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("catalogue motive"),
    )
    text = models.CharField(_("own wording"), max_length=OTHER_MOTIVE_MAX_LENGTH, blank=True)
    intended_outcome = models.TextField(
        _("joint intended outcome"), blank=True, max_length=OUTCOME_MAX_LENGTH
    )
    # The dots it had when the facilitator made it a joint motive (None: not voted on).
    votes = models.PositiveIntegerField(_("votes"), null=True, blank=True)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("joint motive")
        verbose_name_plural = _("joint motives")
        constraints = [
            models.CheckConstraint(
                condition=Q(motive__isnull=False) | ~Q(text=""),
                name="joint_motive_has_motive_or_text",
            ),
        ]

    def __str__(self):
        return self.text or str(self.motive)


class Agreement(EditedVersioned):
    """A concrete agreement: what, who, when."""

    session = models.ForeignKey(
        DialogueSession,
        on_delete=models.CASCADE,
        related_name="agreements",
        verbose_name=_("session"),
    )
    position = models.PositiveIntegerField(_("position"), default=0)
    text = models.TextField(_("what"), max_length=AGREEMENT_MAX_LENGTH)
    owner = models.CharField(_("who"), max_length=OWNER_MAX_LENGTH, blank=True)
    due = models.DateField(_("when"), null=True, blank=True)
    # Optional: a person of the session who is reminded before ``due`` (schedule room).
    owner_person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="owned_agreements",
        verbose_name=_("reminded person"),
    )
    # The motives it serves: catalogue motives (joint or an organisation's own) and
    # joint motives of the same session (the interchange's "joint:N").
    serves_motives = models.ManyToManyField(
        Motive, blank=True, related_name="+", verbose_name=_("serves motives")
    )
    serves_joint = models.ManyToManyField(
        JointMotive, blank=True, related_name="served_by", verbose_name=_("serves joint motives")
    )

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")

    def __str__(self):
        return self.text[:80]


class Note(Versioned):
    """A note taken during the joint dialogue, optionally about one cluster."""

    session = models.ForeignKey(
        DialogueSession, on_delete=models.CASCADE, related_name="notes", verbose_name=_("session")
    )
    cluster = models.ForeignKey(
        Cluster,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("cluster"),
    )
    text = models.TextField(_("note"), max_length=NOTE_MAX_LENGTH)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("author"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("note")
        verbose_name_plural = _("notes")

    def __str__(self):
        return self.text[:80]


class InvitationRole(models.TextChoices):
    MEMBER = "member", _("member of a partner organisation")
    FACILITATOR = "facilitator", _("facilitator")
    GUIDE = "guide", _("Fase 1 process guide of a partner organisation")


class InvitationStatus(models.TextChoices):
    SENT = "sent", _("sent")
    ACCEPTED = "accepted", _("accepted")
    EXPIRED = "expired", _("expired")
    REVOKED = "revoked", _("revoked")


class Invitation(models.Model):
    """A single-use, expiring invitation to a session; only a hash of its token is stored."""

    session = models.ForeignKey(
        DialogueSession,
        on_delete=models.CASCADE,
        related_name="invitations",
        verbose_name=_("session"),
    )
    role = models.CharField(_("role"), max_length=20, choices=InvitationRole.choices)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="invitations",
        verbose_name=_("organisation"),
    )
    email = models.EmailField(_("e-mail address"))
    name = models.CharField(_("name"), max_length=200, blank=True)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("invited by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"))
    last_sent_at = models.DateTimeField(_("last sent"), null=True, blank=True)
    send_count = models.PositiveIntegerField(_("times sent"), default=0)
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("accepted by"),
    )
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        constraints = [
            models.CheckConstraint(
                condition=(Q(role__in=["member", "guide"]) & Q(organisation__isnull=False))
                | (Q(role="facilitator") & Q(organisation__isnull=True)),
                name="invitation_member_has_organisation",
            ),
        ]

    def __str__(self):
        return f"{self.email} → {self.session}"

    def status_at(self, now: datetime.datetime) -> str:
        if self.revoked_at:
            return InvitationStatus.REVOKED
        if self.accepted_at:
            return InvitationStatus.ACCEPTED
        if self.expires_at <= now:
            return InvitationStatus.EXPIRED
        return InvitationStatus.SENT

    @property
    def status(self):
        from django.utils import timezone

        return self.status_at(timezone.now())


# --- evaluation rounds ----------------------------------------------------------

REVIEW_NOTE_MAX_LENGTH = 2000


class Realised(models.TextChoices):
    NO = "no", _("Not realised")
    PARTLY = "partly", _("Partly realised")
    YES = "yes", _("Realised")


class OutcomeReview(EditedVersioned):
    """In a follow-up round: was a joint motive's outcome or an agreement of the previous round realised?

    Exactly one of ``joint_motive`` and ``agreement`` is set, and it belongs to
    ``session.previous``. ``realised`` is None until the partners have reviewed it.
    """

    session = models.ForeignKey(
        DialogueSession,
        on_delete=models.CASCADE,
        related_name="outcome_reviews",
        verbose_name=_("session"),
    )
    joint_motive = models.ForeignKey(
        JointMotive,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="reviews",
        verbose_name=_("joint motive"),
    )
    agreement = models.ForeignKey(
        Agreement,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="reviews",
        verbose_name=_("agreement"),
    )
    # None until reviewed, like Answer.applies: "not reviewed" is not an answer.
    realised = models.CharField(  # noqa: DJ001
        _("realised"), max_length=10, choices=Realised.choices, null=True, blank=True
    )
    note = models.TextField(_("note"), blank=True, max_length=REVIEW_NOTE_MAX_LENGTH)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["session", "id"]
        verbose_name = _("review of an outcome")
        verbose_name_plural = _("reviews of outcomes")
        constraints = [
            models.CheckConstraint(
                condition=(Q(joint_motive__isnull=False) & Q(agreement__isnull=True))
                | (Q(joint_motive__isnull=True) & Q(agreement__isnull=False)),
                name="outcome_review_one_target",
            ),
            models.UniqueConstraint(
                fields=["session", "joint_motive"], name="outcome_review_one_per_joint_motive"
            ),
            models.UniqueConstraint(
                fields=["session", "agreement"], name="outcome_review_one_per_agreement"
            ),
        ]

    def __str__(self):
        return f"{self.target} – {self.get_realised_display() or '?'}"

    @property
    def target(self):
        return self.joint_motive or self.agreement


# --- Quick Scan (workshop mode) ---------------------------------------------------

QUICK_SCAN_TITLE_MAX_LENGTH = 200
# No 0/O, 1/I/L: a code read from a projector is typed without doubt.
QUICK_SCAN_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
QUICK_SCAN_CODE_LENGTH = 6


class QuickScanSide(models.TextChoices):
    EDUCATION = "education", _("Education")
    PRACTICE = "practice", _("Practice")
    OTHER = "other", _("Other")


class QuickScan(models.Model):
    """A live workshop exercise at cluster level, answered without an account.

    Participants think of one learning community and tick, for the education
    side and for the practice side, which of the four clusters play a role.
    ``version`` is raised on every answer and on closing, so the projector polls.
    """

    title = models.CharField(_("title"), max_length=QUICK_SCAN_TITLE_MAX_LENGTH)
    code = models.CharField(_("code"), max_length=8, unique=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="quick_scans",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    # Optional: the learning community the scan is held for (one its owner coordinates).
    community = models.ForeignKey(
        LearningCommunity,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="quick_scans",
        verbose_name=_("learning community"),
    )
    # Results stay hidden (participants and projector see "results follow") until the
    # facilitator reveals them, so that early answers do not anchor later ones.
    hide_results = models.BooleanField(_("hide the results until I reveal them"), default=False)
    revealed_at = models.DateTimeField(_("results revealed"), null=True, blank=True)
    # The dialogue session the scan led into, if the facilitator started one from it.
    session = models.ForeignKey(
        "DialogueSession",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="quick_scans",
        verbose_name=_("dialogue session"),
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("Quick Scan")
        verbose_name_plural = _("Quick Scans")

    def __str__(self):
        return f"{self.title} ({self.code})"

    @property
    def is_open(self):
        return self.closed_at is None

    @property
    def results_shown(self):
        """Whether the results may be shown: never hidden, or revealed by the facilitator."""
        return not self.hide_results or self.revealed_at is not None


QUICK_SCAN_OPEN_ANSWER_MAX_LENGTH = 200


class QuickScanResponse(models.Model):
    """One browser's answer to a Quick Scan; it can change it until the scan closes.

    ``browser_key`` is the SHA-256 of the scan and the browser's random id (from a
    signed cookie): nothing about the person, and not linkable between scans.
    The cluster fields hold lists of cluster codes.
    """

    scan = models.ForeignKey(
        QuickScan, on_delete=models.CASCADE, related_name="responses", verbose_name=_("Quick Scan")
    )
    browser_key = models.CharField(max_length=64, editable=False)
    side = models.CharField(_("side"), max_length=20, choices=QuickScanSide.choices)
    education_clusters = models.JSONField(_("clusters on the education side"), default=list)
    practice_clusters = models.JSONField(_("clusters on the practice side"), default=list)
    # Optional open answers, "which motive exactly?": {cluster code: text}.
    open_answers = models.JSONField(_("open answers per cluster"), default=dict, blank=True)
    created_at = models.DateTimeField(_("submitted"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("Quick Scan answer")
        verbose_name_plural = _("Quick Scan answers")
        constraints = [
            models.UniqueConstraint(
                fields=["scan", "browser_key"], name="quick_scan_one_response_per_browser"
            ),
        ]

    def __str__(self):
        return f"{self.scan.code} – {self.get_side_display()}"


# --- import previews ------------------------------------------------------------

IMPORT_PREVIEW_VALID_MINUTES = 60
IMPORT_PREVIEWS_PER_PERSON = 3


class ImportPreview(models.Model):
    """A session file a coordinator uploaded and is checking before importing it.

    Kept on the server between the preview and the confirmation (not in the
    person's cookie session, which every page would then load), for one person and
    one learning community, for ``IMPORT_PREVIEW_VALID_MINUTES`` at most; each
    person has at most ``IMPORT_PREVIEWS_PER_PERSON``. The upload form limits its size.
    """

    token = models.CharField(max_length=64, unique=True, editable=False)
    community = models.ForeignKey(
        LearningCommunity,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("learning community"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    file_name = models.CharField(_("file name"), max_length=100)
    text = models.TextField(_("file content"))
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"))

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("import preview")
        verbose_name_plural = _("import previews")

    def __str__(self):
        return self.file_name


# --- deciding together (issue 14) -----------------------------------------------
#
# Fase 1 records who took part, the organisation's motives in its own words and its
# three most important motives (``Answer.priority``); the joint dialogue adds votes on
# candidate joint motives, each organisation's position on every joint motive and
# agreement, what each organisation offers and needs, and in a next round each
# organisation's review of its own intended outcomes. All of it is in the interchange
# format (``../shared/domain/INTERCHANGE.md``, "Optional keys").

PARTICIPANT_NAME_MAX_LENGTH = 200
OPEN_MOTIVES_MAX_LENGTH = 4000
REASON_MAX_LENGTH = 2000
OFFER_MAX_LENGTH = 500
MAX_OFFERS = 10
MAX_PARTICIPANTS = 20
PRIORITIES = (1, 2, 3)
DOTS_PER_PERSON = 3


class ParticipantRole(models.TextChoices):
    MANAGER = "manager", _("Manager")
    STAFF = "staff", _("Staff member")
    OTHER = "other", _("Other")


class Participant(models.Model):
    """A person who took part in the organisation's internal discussion (Fase 1).

    A name and a role only: no account, because colleagues who talked along need none.
    """

    preparation = models.ForeignKey(
        Preparation,
        on_delete=models.CASCADE,
        related_name="participants",
        verbose_name=_("preparation"),
    )
    position = models.PositiveSmallIntegerField(_("position"))
    name = models.CharField(_("name"), max_length=PARTICIPANT_NAME_MAX_LENGTH)
    role = models.CharField(_("role"), max_length=10, choices=ParticipantRole.choices)

    class Meta:
        ordering = ["preparation", "position"]
        verbose_name = _("participant in the internal discussion")
        verbose_name_plural = _("participants in the internal discussion")
        constraints = [
            models.UniqueConstraint(
                fields=["preparation", "position"], name="participant_position_unique"
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.get_role_display()})"


class PreparationExtra(models.Model):
    """What Fase 1 and the dialogue add to one organisation's format, beside the answers.

    One row per preparation, made when first needed, so the format's own row and its
    merge machinery stay as they are.
    """

    preparation = models.OneToOneField(
        Preparation, on_delete=models.CASCADE, related_name="extra", verbose_name=_("preparation")
    )
    open_motives = models.TextField(
        _("our motives in our own words"), blank=True, max_length=OPEN_MOTIVES_MAX_LENGTH
    )
    participants_reason = models.TextField(
        _("why the discussion lacked a manager or a staff member"),
        blank=True,
        max_length=REASON_MAX_LENGTH,
    )
    offers = models.JSONField(_("what we offer the partners"), default=list, blank=True)
    needs = models.JSONField(_("what we need from the partners"), default=list, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("last edited by"),
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("addition to a format")
        verbose_name_plural = _("additions to formats")

    def __str__(self):
        return str(self.preparation)


class ConsentPosition(models.TextChoices):
    AGREE = "agree", _("Agree")
    ABSTAIN = "abstain", _("Abstain")
    OBJECT = "object", _("Object")


class Consent(models.Model):
    """One organisation's position on one joint motive or agreement (Loomio style).

    Exactly one of ``joint_motive`` and ``agreement`` is set; both belong to the
    session of ``organisation``'s preparation. An objection carries a reason.
    """

    joint_motive = models.ForeignKey(
        JointMotive,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="consents",
        verbose_name=_("joint motive"),
    )
    agreement = models.ForeignKey(
        Agreement,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="consents",
        verbose_name=_("agreement"),
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="+", verbose_name=_("organisation")
    )
    position = models.CharField(_("position"), max_length=10, choices=ConsentPosition.choices)
    reason = models.TextField(_("reason"), blank=True, max_length=REASON_MAX_LENGTH)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("stated by"),
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["organisation__partner_type", "organisation__name"]
        verbose_name = _("position")
        verbose_name_plural = _("positions")
        constraints = [
            models.CheckConstraint(
                condition=(Q(joint_motive__isnull=False) & Q(agreement__isnull=True))
                | (Q(joint_motive__isnull=True) & Q(agreement__isnull=False)),
                name="consent_one_target",
            ),
            models.UniqueConstraint(
                fields=["joint_motive", "organisation"], name="consent_one_per_joint_motive"
            ),
            models.UniqueConstraint(
                fields=["agreement", "organisation"], name="consent_one_per_agreement"
            ),
        ]

    def __str__(self):
        return f"{self.organisation}: {self.position}"


class Vote(models.Model):
    """One dot a person put on a candidate joint motive (a catalogue motive).

    Each person has ``DOTS_PER_PERSON`` dots per session, at most one per motive.
    """

    session = models.ForeignKey(
        DialogueSession, on_delete=models.CASCADE, related_name="votes", verbose_name=_("session")
    )
    motive = models.ForeignKey(
        Motive, on_delete=models.PROTECT, related_name="+", verbose_name=_("motive")
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("person"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["session", "created_at", "id"]
        verbose_name = _("vote")
        verbose_name_plural = _("votes")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "motive", "person"], name="vote_one_dot_per_motive"
            ),
        ]

    def __str__(self):
        return f"{self.motive_id} ← {self.person_id}"


class ReviewStatus(models.TextChoices):
    REALISED = "realised", _("Realised")
    PARTLY = "partly", _("Partly realised")
    NOT = "not", _("Not realised")


class OrganisationOutcomeReview(models.Model):
    """In a next round: did the organisation realise its own intended outcome of a motive?

    ``preparation`` is the organisation's format of this round; ``motive`` one it said
    applies, with an intended outcome, in the previous round.
    """

    preparation = models.ForeignKey(
        Preparation,
        on_delete=models.CASCADE,
        related_name="outcome_reviews",
        verbose_name=_("preparation"),
    )
    motive = models.ForeignKey(
        Motive, on_delete=models.PROTECT, related_name="+", verbose_name=_("motive")
    )
    status = models.CharField(_("status"), max_length=10, choices=ReviewStatus.choices)
    evidence = models.TextField(_("evidence"), blank=True, max_length=REVIEW_NOTE_MAX_LENGTH)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("last edited by"),
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["preparation", "motive__cluster__order", "motive__order"]
        verbose_name = _("review of an own intended outcome")
        verbose_name_plural = _("reviews of own intended outcomes")
        constraints = [
            models.UniqueConstraint(
                fields=["preparation", "motive"], name="organisation_review_one_per_motive"
            ),
        ]

    def __str__(self):
        return f"{self.motive_id}: {self.status}"


class ReportStatus(models.TextChoices):
    QUEUED = "queued", _("waiting")
    RENDERING = "rendering", _("being prepared")
    READY = "ready", _("ready")
    FAILED = "failed", _("failed")


class ReportRendering(models.Model):
    """One PDF report for one state of a session in one language, rendered by a task.

    ``fingerprint`` (sessions.report.pdf.fingerprint) changes with every change the
    report shows and is unique: concurrent requests for the same state share one row,
    and so one render.
    """

    session = models.ForeignKey(
        DialogueSession, on_delete=models.CASCADE, related_name="report_renderings"
    )
    fingerprint = models.CharField(_("fingerprint"), max_length=200, unique=True)
    version = models.PositiveIntegerField(_("version"))
    language = models.CharField(_("language"), max_length=8)
    status = models.CharField(
        _("status"), max_length=10, choices=ReportStatus.choices, default=ReportStatus.QUEUED
    )
    pdf = models.BinaryField(_("PDF"), null=True, blank=True)
    size = models.PositiveIntegerField(_("bytes"), default=0)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    error = models.TextField(_("error"), blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_at = models.DateTimeField(_("requested"), auto_now_add=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    render_seconds = models.FloatField(_("render seconds"), null=True, blank=True)
    # The worker's peak resident memory after the render, in MB (bench/ and docs/quality.md).
    worker_peak_mb = models.FloatField(_("worker peak memory (MB)"), null=True, blank=True)

    class Meta:
        verbose_name = _("report rendering")
        verbose_name_plural = _("report renderings")
        indexes = [models.Index(fields=["session", "language", "status"])]

    def __str__(self):
        return f"{self.session_id} v{self.version} {self.language} {self.status}"
