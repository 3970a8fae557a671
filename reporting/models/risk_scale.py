"""The 5 × 5 risk scale: one table for the words of each likelihood and consequence rating, the
levels a rating falls in, and their colours (the register, heat map, exports and packs read it).

Where the words come from:

- **Consequence** (1 Minimal, 2 Minor, 3 Moderate, 4 Significant, 5 Severe): the New Zealand
  Government's simple impact scale, in the Government Chief Digital Office's risk assessment
  guidance ("Assess the impacts of risks happening", digital.govt.nz, Standards and guidance ›
  Privacy, security and risk › Risk management › Risk assessments › Analyse).
- **Likelihood** (1 Rare … 5 Almost certain) and their one-line meanings: the product's own,
  in the words most NZ public-sector matrices following AS/NZS ISO 31000 use; no NZ government
  source for them could be read, so the pages mark them as the product's own.
- **Levels** (Low, Medium, High, Very high) and where their bands start: the product's own, for
  the secretariat to confirm.
"""

from dataclasses import dataclass

from django.db import models

SCALE = (1, 2, 3, 4, 5)

CONSEQUENCE_SOURCE = (
    "New Zealand Government risk assessment guidance (Government Chief Digital Office, "
    "digital.govt.nz): simple impact scale"
)
OWN_WORDS = "The product's own wording, for the secretariat to confirm"


@dataclass(frozen=True)
class Rating:
    value: int
    word: str
    meaning: str


LIKELIHOOD = {
    1: Rating(1, "Rare", "Would happen only in exceptional circumstances"),
    2: Rating(2, "Unlikely", "Not expected, but could happen"),
    3: Rating(3, "Possible", "Might happen at some time"),
    4: Rating(4, "Likely", "Will probably happen"),
    5: Rating(5, "Almost certain", "Expected to happen"),
}
CONSEQUENCE = {
    1: Rating(1, "Minimal", "Minimal impact"),
    2: Rating(2, "Minor", "Minor impact"),
    3: Rating(3, "Moderate", "Moderate impact"),
    4: Rating(4, "Significant", "Significant impact"),
    5: Rating(5, "Severe", "Severe impact"),
}


class Level(models.TextChoices):
    LOW = "low", "Low"
    MEDIUM = "medium", "Medium"
    HIGH = "high", "High"
    VERY_HIGH = "very_high", "Very high"


@dataclass(frozen=True)
class Band:
    level: Level
    lowest: int  # the lowest rating (likelihood × consequence) in this level
    highest: int
    fill: str  # heat-map cell colour; text on it is #0b0c0c (all pass 4.5:1)
    letter: str  # printed in the cell, so colour is never the only cue


BANDS = (
    Band(Level.LOW, 1, 3, "#cce2d8", "L"),
    Band(Level.MEDIUM, 4, 9, "#fff7bf", "M"),
    Band(Level.HIGH, 10, 15, "#fcd6c3", "H"),
    Band(Level.VERY_HIGH, 16, 25, "#eba59c", "VH"),
)
BAND_BY_LEVEL = {band.level: band for band in BANDS}
# Highest first, as registers and packs list them.
LEVEL_ORDER = [band.level for band in reversed(BANDS)]


def band_of(rating: int) -> Band:
    """The band a rating (1–25) falls in."""
    for band in BANDS:
        if band.lowest <= rating <= band.highest:
            return band
    raise ValueError(f"{rating} is not a rating on the 5 × 5 scale")


def level_of(likelihood: int, consequence: int) -> Level:
    return band_of(likelihood * consequence).level


def likelihood_choices() -> list[tuple[int, str]]:
    return [(r.value, f"{r.value}: {r.word}") for r in LIKELIHOOD.values()]


def consequence_choices() -> list[tuple[int, str]]:
    return [(r.value, f"{r.value}: {r.word}") for r in CONSEQUENCE.values()]
