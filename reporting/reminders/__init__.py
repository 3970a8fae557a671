"""Quarterly reminders and escalations: the cycle (what is due when), composing each email,
queueing and delivering it exactly once, and the beat schedule."""
