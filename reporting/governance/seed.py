"""Loading the shipped "depends on" links (reporting/data/governance/dependencies.yaml)."""

from pathlib import Path

import yaml
from django.db import transaction

from actions.models import Action
from reporting.models import ActionDependency

DEPENDENCIES_FILE = Path(__file__).resolve().parent.parent / "data/governance/dependencies.yaml"


class DependencySeedError(Exception):
    """The file names an action that isn't loaded, or a link that would form a loop."""


def load_dependencies(path: Path = DEPENDENCIES_FILE) -> int:
    """Create the file's links that don't exist yet; return how many were created. Plans not
    loaded are skipped; an action missing from a loaded plan is an error."""
    created = 0
    with transaction.atomic():
        for entry in yaml.safe_load(path.read_text(encoding="utf-8")) or []:
            actions = Action.objects.filter(plan__slug=entry["plan"])
            if not actions.exists():
                continue
            numbers = [entry["depends_on"], *entry["dependents"]]
            found = {a.number: a for a in actions.filter(number__in=numbers)}
            missing = [n for n in numbers if n not in found]
            if missing:
                raise DependencySeedError(f"{entry['plan']} has no action {', '.join(missing)}")
            prerequisite = found[entry["depends_on"]]
            for number in entry["dependents"]:
                action = found[number]
                if ActionDependency.objects.filter(action=action, depends_on=prerequisite).exists():
                    continue
                if ActionDependency.would_cycle(action.pk, prerequisite.pk):
                    raise DependencySeedError(f"{action} → {prerequisite} would form a loop")
                ActionDependency.objects.create(
                    action=action,
                    depends_on=prerequisite,
                    note=" ".join(entry.get("note", "").split()),
                    is_assumption=bool(entry.get("assumption")),
                )
                created += 1
    return created
