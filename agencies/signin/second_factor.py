"""A second factor for local sign-in: an authenticator app (TOTP, django-otp) and single-use
recovery codes. Required for the secretariat and staff, optional for everyone else.

Every change is recorded as a ``SecondFactorEvent`` naming who made it. What a person may reset
is one rule, ``people_resettable_by``.
"""

import base64
from io import BytesIO

import qrcode
import qrcode.image.svg
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import QuerySet
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from ..roles import is_active, is_secretariat
from .models import SecondFactorEvent

APP_DEVICE_NAME = "Authenticator app"
RECOVERY_DEVICE_NAME = "Recovery codes"
RECOVERY_CODE_COUNT = 10


def is_required(user) -> bool:
    """The secretariat (superusers included) and staff must use a second factor."""
    return is_secretariat(user) or (is_active(user) and user.is_staff)


def authenticator(user) -> TOTPDevice | None:
    """The person's confirmed authenticator app, if they have set one up."""
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).first()


def recovery_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def people_resettable_by(user) -> QuerySet:
    """Whose second factor ``user`` may reset: the secretariat and staff reset anyone's but their
    own (someone else resets theirs); everyone else, nobody's."""
    people = get_user_model().objects.all()
    if not is_required(user):
        return people.none()
    return people.exclude(pk=user.pk)


def start_enrolment(user) -> TOTPDevice:
    """The unconfirmed authenticator the person is setting up (the same one until confirmed)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    return device or TOTPDevice.objects.create(user=user, name=APP_DEVICE_NAME, confirmed=False)


def secret_for_typing(device: TOTPDevice) -> str:
    """The key in base32, in groups of four, for people who type it into their app."""
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def qr_code_svg(device: TOTPDevice) -> str:
    """The ``otpauth://`` address as an SVG QR code, for a ``data:`` image."""
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    buffer = BytesIO()
    image.save(buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode()


@transaction.atomic
def confirm_enrolment(device: TOTPDevice, code: str) -> list[str] | None:
    """Confirm the app with a code it shows; returns the new recovery codes, or None if the code
    is wrong. Any other app the person had is replaced."""
    if device.confirmed or not device.verify_token(_digits(code)):
        return None
    TOTPDevice.objects.filter(user=device.user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    _record(device.user, SecondFactorEvent.Kind.ENROLLED, by=device.user)
    return _new_recovery_codes(device.user)


@transaction.atomic
def make_recovery_codes(user) -> list[str]:
    """New recovery codes; the old ones stop working."""
    _record(user, SecondFactorEvent.Kind.RECOVERY_CODES_MADE, by=user)
    return _new_recovery_codes(user)


def verify(user, code: str) -> bool:
    """Is ``code`` the app's current code, or one of the person's unused recovery codes (which is
    then used up)? Wrong codes slow further tries (django-otp's throttling)."""
    app = authenticator(user)
    if app is not None and app.verify_token(_digits(code)):
        return True
    recovery = StaticDevice.objects.filter(user=user, confirmed=True).first()
    normalised = "".join(code.split()).lower()
    if recovery is not None and normalised and recovery.verify_token(normalised):
        _record(user, SecondFactorEvent.Kind.RECOVERY_CODE_USED, by=user)
        return True
    return False


@transaction.atomic
def turn_off(user) -> None:
    """The person stops using a second factor (only where it isn't required)."""
    if is_required(user):
        raise PermissionDenied("The secretariat and staff must keep two-step sign-in.")
    _remove_devices(user)
    _record(user, SecondFactorEvent.Kind.TURNED_OFF, by=user)


@transaction.atomic
def reset(person, by) -> None:
    """Remove someone's app and recovery codes (a lost phone): at their next sign-in they set up
    again if they must have a second factor."""
    if not people_resettable_by(by).filter(pk=person.pk).exists():
        raise PermissionDenied("Only the secretariat or staff can reset someone else's sign-in.")
    _remove_devices(person)
    _record(person, SecondFactorEvent.Kind.RESET, by=by)


def _digits(code: str) -> str:
    return "".join(code.split())


def _remove_devices(user) -> None:
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()


def _new_recovery_codes(user) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_DEVICE_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def _record(person, kind: str, by) -> None:
    SecondFactorEvent.objects.create(person=person, kind=kind, by=by)
