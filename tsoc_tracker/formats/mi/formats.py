"""Te reo Māori pages write dates and times as the English ones do (tsoc_tracker/formats/en_NZ)."""

from tsoc_tracker.formats.en_NZ.formats import *  # noqa: F403
