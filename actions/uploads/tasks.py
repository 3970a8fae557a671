"""Checking a large uploaded plan file in the background (``checking.check_upload``)."""

import logging

from celery import shared_task
from django.utils.translation import gettext as _

from .checking import CHECK_FAILED, check_upload, fail_check

logger = logging.getLogger(__name__)


@shared_task(name="actions.uploads.tasks.check_plan_upload")
def check_plan_upload(upload_id: int) -> None:
    """Check the upload; if the check itself breaks, the upload says so and can be discarded."""
    try:
        check_upload(upload_id)
    except Exception as error:
        logger.exception("Checking plan upload %s failed", upload_id)
        fail_check(upload_id, _(CHECK_FAILED) % {"error": type(error).__name__})
