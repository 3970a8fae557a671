"""Every text the seed files hold is worded as a source document words it.

The sources are the plain-text extractions in the shared ``seeds`` folder beside the repository
(or ``$TSOC_SOURCES``); without them these tests skip. Case, bullet characters, emphasis marks,
line breaks and a space before a full stop (extraction artefacts) are ignored; words are not.
"""

import os
import re
from pathlib import Path

import pytest
import yaml

from actions.services.seeds import PLANS_DIR


def _sources_dir() -> Path | None:
    candidates = [os.environ.get("TSOC_SOURCES", "")]
    candidates += [str(p / "shared" / "seeds") for p in Path(__file__).resolve().parents]
    return next((Path(c) for c in candidates if c and Path(c, "README.md").is_file()), None)


SOURCES = _sources_dir()
pytestmark = pytest.mark.skipif(SOURCES is None, reason="the source documents aren't here")


def normalise(text: str) -> str:
    text = re.sub(r"<[^>]+>|\*|•|·|♣", " ", text)
    text = re.sub(r"\s+([.,:;?])", r"\1", text)
    return re.sub(r"\s+", " ", text).strip().lower()


def texts(node, where: str = ""):
    """(where, text) for every string under ``node`` a source should contain."""
    skip = {"slug", "kind", "plan", "role", "agency", "number", "source", "lanes", "levels"}
    skip |= {"assumption", "assumptions", "note", "delivery_note", "heading", "short_title"}
    skip |= {"priority_areas_heading", "focus_areas_heading", "code", "lane", "marking"}
    if isinstance(node, dict):
        for key, value in node.items():
            if key not in skip and key not in ("delivered_by", "carries_on", "agencies"):
                yield from texts(value, f"{where}.{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from texts(value, f"{where}[{index}]")
    elif isinstance(node, str) and node.strip():
        for paragraph in re.split(r"\n\s*\n", node):
            yield where, paragraph


@pytest.mark.parametrize("seed", sorted(p.name for p in PLANS_DIR.glob("*.yaml")))
def test_every_text_in_the_seed_file_is_worded_as_a_source_words_it(seed):
    sources = " ".join(normalise(p.read_text(encoding="utf-8")) for p in SOURCES.glob("0*.txt"))
    data = yaml.safe_load((PLANS_DIR / seed).read_text(encoding="utf-8"))
    # Titles and short labels of plans and strategies are names, not quotations.
    for part in [data["strategy"], *data.get("plans", [])]:
        for key in ("title", "short_title"):
            part.pop(key, None)
    not_found = [
        (where, text[:80])
        for where, text in texts(data)
        if normalise(text) not in sources
        and not re.fullmatch(r"\d{4}", text.strip())  # a year
        and not re.search(r"_areas\[\d+\]$", where)  # an area's slug
    ]
    assert not_found == []
