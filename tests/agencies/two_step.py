"""Codes a person's authenticator app would show, computed in the test as the app computes them
(RFC 6238), from the key the set-up page shows or the one stored for a confirmed app."""

import base64
import time

from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice


def code_from_key(shown_key: str, at: float | None = None) -> str:
    """The code for the key as the set-up page shows it (base32 in groups of four)."""
    secret = "".join(shown_key.split())
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    return f"{totp(key, t0=0, step=30, drift=_steps_from_now(at)):06d}"


def next_code(username: str) -> str:
    """A code the person's app accepts now: the current one, or the next one (within the app's
    tolerance of one step) when the current one was already used, as codes work once."""
    device = TOTPDevice.objects.get(user__username=username, confirmed=True)
    now_step = int(time.time()) // device.step
    step = max(now_step, (device.last_t or -1) + 1)
    return f"{totp(device.bin_key, step=device.step, drift=step - now_step):06d}"


def _steps_from_now(at):
    return 0 if at is None else int(at) // 30 - int(time.time()) // 30
