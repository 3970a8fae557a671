"""What the return's workflow announces, for the rooms above it to act on.

``update_reviewed`` is sent inside the review's transaction, after the update is saved, with
``update`` and ``decision`` ("accepted" or "returned"). The reminders room answers it by
recording the notifications (``reporting.reminders.notify``), so they are written with the
change, or not at all.

``comment_posted`` is sent the same way, inside the transaction that added ``comment`` to a
return's conversation (a comment, or a correction by the secretariat); the reminders room
notifies the others in the thread.
"""

from django.dispatch import Signal

update_reviewed = Signal()
comment_posted = Signal()
ACCEPTED, RETURNED = "accepted", "returned"
