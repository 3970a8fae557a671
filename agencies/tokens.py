"""API tokens: how machine clients (dashboards, notebooks, Power BI) sign in to the REST API.

The secretariat issues a token for a person (in the admin or with ``issue_api_token``); the
client then acts as that person, so exactly the same permissions apply. Only a SHA-256 hash of
the key is stored: the key itself is shown once, when the token is issued.
"""

import datetime
import hashlib
import logging
import secrets

from django.conf import settings
from django.db import DatabaseError, models, transaction
from django.utils import timezone

logger = logging.getLogger(__name__)

KEY_PREFIX = "tsoc_"
SHOWN_PREFIX_LENGTH = 12  # enough of the key to tell tokens apart, far too little to guess it
LAST_USED_PRECISION = datetime.timedelta(minutes=1)


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


class ApiTokenQuerySet(models.QuerySet):
    def active(self):
        return self.filter(revoked_at__isnull=True, user__is_active=True)

    def for_key(self, key: str):
        """The active token with this key (and its user), or None."""
        return self.active().select_related("user").filter(key_hash=hash_key(key)).first()

    def issue(self, user, *, name: str, read_only: bool = False, issued_by=None):
        """Create a token for ``user``; return ``(token, key)``. The key is not stored."""
        token = self.model(user=user, name=name, read_only=read_only, issued_by=issued_by)
        key = token.assign_key()
        token.save()
        return token, key


class ApiToken(models.Model):
    """A key a machine client sends as ``Authorization: Token <key>`` to act as ``user``."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="acts as",
        on_delete=models.CASCADE,
        related_name="api_tokens",
        help_text="The client gets exactly this person's permissions.",
    )
    name = models.CharField(
        "name", max_length=120, help_text="What the token is for, e.g. “Police Power BI”."
    )
    prefix = models.CharField(
        "key starts with", max_length=SHOWN_PREFIX_LENGTH, editable=False, db_index=True
    )
    key_hash = models.CharField("SHA-256 of the key", max_length=64, unique=True, editable=False)
    read_only = models.BooleanField(
        "read only", default=False, help_text="Only reading (GET, HEAD, OPTIONS) is allowed."
    )
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="issued by",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField("issued", auto_now_add=True)
    last_used_at = models.DateTimeField("last used", null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField("revoked", null=True, blank=True, editable=False)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        app_label = "agencies"
        verbose_name = "API token"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…, {self.user})"

    def assign_key(self) -> str:
        """Give the (unsaved) token a new random key; return the key, which is not kept."""
        key = KEY_PREFIX + secrets.token_urlsafe(30)
        self.prefix, self.key_hash = key[:SHOWN_PREFIX_LENGTH], hash_key(key)
        return key

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    def revoke(self) -> None:
        if self.revoked_at is None:
            self.revoked_at = timezone.now()
            self.save(update_fields=["revoked_at"])

    def record_use(self) -> None:
        """Note when the token was last used, writing at most once a minute per token.

        It is advisory: a request is never refused because the note couldn't be written (e.g.
        SQLite busy with a concurrent request), so a failed write is logged and left."""
        now = timezone.now()
        if self.last_used_at is None or now - self.last_used_at >= LAST_USED_PRECISION:
            try:
                with transaction.atomic():
                    ApiToken.objects.filter(pk=self.pk).update(last_used_at=now)
            except DatabaseError:
                logger.warning("Could not record the use of API token %s", self.pk)
                return
            self.last_used_at = now
