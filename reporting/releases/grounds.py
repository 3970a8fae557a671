"""What each Official Information Act 1982 withholding ground means, for the release cover's
and the public page's grounds key.

Section 6 grounds are conclusive: good reason to withhold exists if making the information
available "would be likely" to cause the harm. Section 9(2) grounds apply where withholding is
"necessary" for the interest, unless the public interest in making the information available
outweighs it (s 9(1)). The meanings follow the Act's wording, shortened.
"""

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from reporting.models import Withholding

G = Withholding.Ground

GROUND_MEANINGS: dict[str, object] = {
    G.S6A: _(
        "Making it available would be likely to prejudice the security or defence of New "
        "Zealand or the international relations of the Government of New Zealand."
    ),
    G.S6B: _(
        "Making it available would be likely to prejudice the entrusting of information to "
        "the Government of New Zealand on a basis of confidence by the government of another "
        "country, its agencies, or an international organisation."
    ),
    G.S6C: _(
        "Making it available would be likely to prejudice the maintenance of the law, "
        "including the prevention, investigation and detection of offences, and the right to a "
        "fair trial."
    ),
    G.S6D: _("Making it available would be likely to endanger the safety of any person."),
    G.S92A: _(
        "Withholding it is necessary to protect the privacy of natural persons, including "
        "that of deceased natural persons."
    ),
    G.S92BII: _(
        "Withholding it is necessary to protect information whose release would be likely "
        "unreasonably to prejudice the commercial position of the person who supplied it or who is "
        "its subject."
    ),
    G.S92BAI: _(
        "Withholding it is necessary to protect information subject to an obligation of "
        "confidence, where releasing it would be likely to prejudice the supply of similar "
        "information, or information from the same source, which it is in the public interest to "
        "keep receiving."
    ),
    G.S92C: _(
        "Withholding it is necessary to avoid prejudice to measures protecting the health or "
        "safety of members of the public."
    ),
    G.S92FIV: _(
        "Withholding it is necessary to maintain the constitutional conventions that "
        "protect the confidentiality of advice tendered by Ministers of the Crown and officials."
    ),
    G.S92GI: _(
        "Withholding it is necessary to maintain the effective conduct of public affairs "
        "through the free and frank expression of opinions by or between or to Ministers and "
        "officials in the course of their duty."
    ),
    G.S92H: _("Withholding it is necessary to maintain legal professional privilege."),
    G.S92J: _(
        "Withholding it is necessary to enable a Minister or agency holding the information "
        "to carry on negotiations (including commercial and industrial negotiations) without "
        "prejudice or disadvantage."
    ),
}


def grounds_used(snapshot) -> list[str]:
    """Every ground a public snapshot withholds text under, in the Act's order: the values of
    its ``…_withheld`` entries (and a risk's ``withheld_under``), wherever they sit."""
    found: set[str] = set()

    def walk(value):
        if isinstance(value, dict):
            for key, item in value.items():
                if _names_a_ground(key) and isinstance(item, str) and item:
                    found.add(item)
                else:
                    walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    walk(snapshot)
    return [ground for ground in G.values if ground in found]


def _names_a_ground(key: str) -> bool:
    return key.endswith("_withheld") or key == "withheld_under"


def grounds_key(grounds: list[str]) -> list[dict]:
    """The key printed with a release: each ground, its section and what it means."""
    return [
        {
            "ground": g,
            "section": gettext("s %(section)s") % {"section": g},
            "label": G(g).label,
            "meaning": str(GROUND_MEANINGS[g]),
        }
        for g in grounds
    ]
