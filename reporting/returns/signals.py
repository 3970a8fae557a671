"""What the return's workflow announces, for the rooms above it to act on.

``update_reviewed`` is sent inside the review's transaction, after the update is saved, with
``update`` and ``decision`` ("accepted" or "returned"). The reminders room answers it by
recording the notifications (``reporting.reminders.notify``), so they are written with the
change, or not at all.
"""

from django.dispatch import Signal

update_reviewed = Signal()
ACCEPTED, RETURNED = "accepted", "returned"
