"""The secretariat's plan editing pages, under ``/plans/<plan>/edit/``.

Every view fetches the plan through ``ActionPlan.objects.editable_by`` (a plan the person can't
read is a 404, one they may read but not change a 403), parses the form, calls one service and
renders its answer: ``ValidationError`` → the form again with what was typed, ``StaleEditError``
→ the conflict (409) naming who changed it, ``RemovalRefused`` → the reason (409).
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from actions.models import (
    Action,
    ActionAgency,
    ActionGroup,
    ActionPlan,
    FocusArea,
    PriorityArea,
    Strategy,
    SuccessMeasure,
)
from core.rules import require

from . import services
from .forms import (
    ActionForm,
    AddCoordinatorForm,
    GroupForm,
    LinkForm,
    MeasureForm,
    NewPlanForm,
    PlanForm,
    RoleForm,
    VersionOnlyForm,
)
from .services import RemovalRefused, StaleEditError

REFUSAL = "Only the secretariat changes plans."


def _editable_plan(request, slug: str) -> ActionPlan:
    plan = get_object_or_404(ActionPlan.objects.visible_to(request.user), slug=slug)
    if not ActionPlan.objects.editable_by(request.user).filter(pk=plan.pk).exists():
        raise PermissionDenied(REFUSAL)
    return plan


def _action(plan: ActionPlan, number: str) -> Action:
    return get_object_or_404(plan.actions.select_related("plan", "parent", "group"), number=number)


def _posted(request):
    return request.POST if request.method == "POST" else None


def _add_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def _edit_url(action: Action) -> str:
    return reverse(
        "plan_editing:action", kwargs={"plan": action.plan.slug, "number": action.number}
    )


def _conflict_page(request, conflict: StaleEditError, back: str, what: str):
    return render(
        request,
        "actions/editing/refused.html",
        {"conflict": conflict, "what": what, "back": back},
        status=409,
    )


def _refused_page(request, refusal: Exception, back: str, what: str, heading: str = ""):
    return render(
        request,
        "actions/editing/refused.html",
        {
            "reason": " ".join(getattr(refusal, "messages", [str(refusal)])),
            "heading": heading or _("%(what)s can't be removed") % {"what": capfirst(what)},
            "back": back,
        },
        status=409,
    )


def _pressed(request, form, change, *, back: str, what: str, done, then: str = "", heading=""):
    """A button's change, answered as every button's is: ``change(form.cleaned_data)`` with the
    version the page was shown at; back to ``back`` when the form is broken, the conflict page
    when the record moved on, the refusal page with its reason, else the message ``done`` (or
    ``done()``, read after the change) and on to ``then`` (``back`` unless given)."""
    if not form.is_valid():
        return redirect(back)
    try:
        change(form.cleaned_data)
    except StaleEditError as stale:
        return _conflict_page(request, stale, back, what)
    except (RemovalRefused, ValidationError) as refusal:
        return _refused_page(request, refusal, back, what, heading)
    messages.success(request, done() if callable(done) else done)
    return redirect(then or back)


def _added(request, form, change, *, back: str, what: str, done) -> HttpResponse | None:
    """A form's addition to an action: ``change(form.cleaned_data)`` with the version the page
    was shown at; the conflict page when the record moved on, the message ``done(cleaned_data)``
    and back to ``back`` when it is made, else None, the form holding why not."""
    if not form.is_valid():
        return None
    try:
        change(form.cleaned_data)
    except StaleEditError as stale:
        return _conflict_page(request, stale, back, what)
    except ValidationError as invalid:
        _add_errors(form, invalid)
        return None
    messages.success(request, done(form.cleaned_data))
    return redirect(back)


def _changed_words(changed: list[str], form) -> str:
    labels = [str(form.fields[name].label).lower() for name in changed if name in form.fields]
    return ", ".join(labels) if labels else _("nothing changed")


# --- The list of plans, new plans and revisions --------------------------------------------


@require_GET
def index(request):
    plans = require(ActionPlan.objects.editable_by(request.user), REFUSAL)
    strategies = Strategy.objects.visible_to(request.user).prefetch_related(
        Prefetch("plans", queryset=plans.order_by("-start_date"))
    )
    return render(request, "actions/editing/index.html", {"strategies": strategies})


def new_plan(request, strategy: str):
    require(ActionPlan.objects.editable_by(request.user), REFUSAL)
    strategy = get_object_or_404(Strategy.objects.visible_to(request.user), slug=strategy)
    return _plan_form_page(request, strategy=strategy, earlier=None)


def new_revision(request, plan: str):
    earlier = _editable_plan(request, plan)
    return _plan_form_page(request, strategy=earlier.strategy, earlier=earlier)


def _plan_form_page(request, *, strategy, earlier):
    initial = services.default_revision(earlier) if earlier else {}
    form = NewPlanForm(_posted(request), initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = {"slug": form.cleaned_data["slug"], **form.changes()}
            try:
                if earlier:
                    plan = services.create_revision(earlier, data, by=request.user)
                else:
                    plan = services.create_plan(strategy, data, by=request.user)
            except ValidationError as invalid:
                _add_errors(form, invalid)
            else:
                messages.success(request, _("%(plan)s created.") % {"plan": plan.title})
                return redirect("plan_editing:plan", plan=plan.slug)
        status = 400
    return render(
        request,
        "actions/editing/plan_new.html",
        {"form": form, "strategy": strategy, "earlier": earlier},
        status=status,
    )


# --- A plan: its details and outline --------------------------------------------------------


def plan(request, plan: str):
    plan = _editable_plan(request, plan)
    form = PlanForm(
        _posted(request),
        instance=ActionPlan.objects.get(pk=plan.pk),
        initial={"version": plan.version},
    )
    status, conflict = 200, None
    if request.method == "POST":
        if form.is_valid():
            try:
                changed = services.change_plan(
                    plan,
                    form.changes(),
                    by=request.user,
                    expected_version=form.cleaned_data["version"] or 0,
                )
            except StaleEditError as stale:
                conflict = _form_conflict(form, stale)
            except ValidationError as invalid:
                _add_errors(form, invalid)
            else:
                messages.success(
                    request,
                    _("Plan saved: %(changes)s.") % {"changes": _changed_words(changed, form)},
                )
                return redirect("plan_editing:plan", plan=plan.slug)
        status = 409 if conflict else 400
    actions = list(plan.actions.select_related("group", "parent").prefetch_related("coordinators"))
    return render(
        request,
        "actions/editing/plan.html",
        {
            "plan": plan,
            "form": form,
            "conflict": conflict,
            "outline": _outline(plan, actions),
        },
        status=status,
    )


def _form_conflict(form, stale: StaleEditError) -> StaleEditError:
    """The form keeps what was typed; its version moves to the stored one, so saving again is a
    deliberate choice to replace theirs, made after reading it."""
    data = form.data.copy()
    data["version"] = stale.current.version
    form.data = data
    return stale


def _outline(plan: ActionPlan, actions: list[Action]) -> list[dict]:
    """The plan's headings in order, each with its top-level actions and their parts; actions
    without a heading come last."""
    parts: dict[int, list[Action]] = {}
    for action in actions:
        if action.parent_id:
            parts.setdefault(action.parent_id, []).append(action)
    for action in actions:
        action.part_list = parts.get(action.pk, [])
    top = [a for a in actions if not a.parent_id]
    groups = list(plan.groups.order_by("order", "pk"))
    children: dict[int | None, list[ActionGroup]] = {}
    for group in groups:
        children.setdefault(group.parent_id, []).append(group)

    def walk(parent_id, depth):
        for group in children.get(parent_id, []):
            yield {
                "group": group,
                "depth": depth,
                "actions": [a for a in top if a.group_id == group.pk],
            }
            yield from walk(group.pk, depth + 1)

    outline = list(walk(None, 0))
    loose = [a for a in top if a.group_id is None]
    if loose:
        outline.append({"group": None, "depth": 0, "actions": loose})
    return outline


# --- Group headings ---------------------------------------------------------------------------


def group_form(request, plan: str, pk: int | None = None):
    plan = _editable_plan(request, plan)
    group = get_object_or_404(plan.groups, pk=pk) if pk else None
    instance = ActionGroup.objects.get(pk=group.pk) if group else ActionGroup(plan=plan)
    form = GroupForm(_posted(request), instance=instance, plan=plan)
    status, conflict = 200, None
    if request.method == "POST":
        if form.is_valid():
            try:
                if group:
                    services.change_group(
                        group,
                        form.changes(),
                        by=request.user,
                        expected_version=form.cleaned_data["version"] or 0,
                    )
                else:
                    group = services.add_group(plan, form.changes(), by=request.user)
            except StaleEditError as stale:
                conflict = _form_conflict(form, stale)
            except ValidationError as invalid:
                _add_errors(form, invalid)
            else:
                messages.success(request, _("Heading “%(group)s” saved.") % {"group": group})
                return redirect("plan_editing:plan", plan=plan.slug)
        status = 409 if conflict else 400
    return render(
        request,
        "actions/editing/group_form.html",
        {"plan": plan, "group": group, "form": form, "conflict": conflict},
        status=status,
    )


@require_POST
def group_move(request, plan: str, pk: int):
    plan = _editable_plan(request, plan)
    group = get_object_or_404(plan.groups, pk=pk)
    step = -1 if request.POST.get("direction") == "up" else 1
    return _pressed(
        request,
        VersionOnlyForm(request.POST),
        lambda data: services.move_group(
            group, step, by=request.user, expected_version=data["version"]
        ),
        back=reverse("plan_editing:plan", kwargs={"plan": plan.slug}),
        what=_("the heading “%(group)s”") % {"group": group},
        done=(
            _("Heading “%(group)s” moved up.") if step < 0 else _("Heading “%(group)s” moved down.")
        )
        % {"group": group},
    )


@require_POST
def group_remove(request, plan: str, pk: int):
    plan = _editable_plan(request, plan)
    group = get_object_or_404(plan.groups, pk=pk)
    return _pressed(
        request,
        VersionOnlyForm(request.POST),
        lambda data: services.remove_group(
            group, by=request.user, expected_version=data["version"]
        ),
        back=reverse("plan_editing:plan", kwargs={"plan": plan.slug}),
        what=_("the heading “%(group)s”") % {"group": group},
        done=_("Heading “%(group)s” removed.") % {"group": group},
    )


# --- Actions ----------------------------------------------------------------------------------


def action_new(request, plan: str):
    plan = _editable_plan(request, plan)
    parent = None
    if number := request.GET.get("parent"):
        parent = _action(plan, number)
        if parent.parent_id:
            raise Http404("A sub-action or strand belongs to a top-level action.")
    kind = Action.Kind.STRAND if parent and request.GET.get("kind") == "strand" else "action"
    instance = Action(plan=plan, parent=parent, kind=kind, group=parent.group if parent else None)
    form = ActionForm(_posted(request), instance=instance, plan=plan)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                action = services.add_action(
                    plan, form.changes(), by=request.user, parent=parent, kind=kind
                )
            except ValidationError as invalid:
                _add_errors(form, invalid)
            else:
                messages.success(
                    request,
                    _("%(kind)s %(code)s %(number)s added. Timeframe: %(reading)s")
                    % {
                        "kind": action.kind_label,
                        "code": plan.code,
                        "number": action.number,
                        "reading": services.timeframe_reading(action.timeframe),
                    },
                )
                return redirect(_edit_url(action))
        status = 400
    return render(
        request,
        "actions/editing/action_new.html",
        {
            "plan": plan,
            "parent": parent,
            "kind_label": _("Strand")
            if kind == "strand"
            else (_("Sub-action") if parent else _("Action")),
            "form": form,
            "reading": services.timeframe_reading(form["timeframe"].value() or ""),
        },
        status=status,
    )


def action(request, plan: str, number: str):
    plan = _editable_plan(request, plan)
    action = _action(plan, number)
    form = ActionForm(
        _posted(request),
        instance=Action.objects.get(pk=action.pk),
        plan=plan,
    )
    status, conflict = 200, None
    if request.method == "POST":
        if form.is_valid():
            try:
                changed = services.change_action(
                    action,
                    form.changes(),
                    by=request.user,
                    expected_version=form.cleaned_data["version"] or 0,
                )
            except StaleEditError as stale:
                conflict = _form_conflict(form, stale)
            except ValidationError as invalid:
                _add_errors(form, invalid)
            else:
                messages.success(
                    request,
                    _("%(code)s %(number)s saved: %(changes)s. Timeframe: %(reading)s")
                    % {
                        "code": plan.code,
                        "number": action.number,
                        "changes": _changed_words(changed, form),
                        "reading": services.timeframe_reading(action.timeframe),
                    },
                )
                return redirect(_edit_url(action))
        status = 409 if conflict else 400
    return _action_page(request, action, form=form, conflict=conflict, status=status)


def _action_page(request, action: Action, *, status=200, **forms):
    coordinators = list(action.coordinators.select_related("agency", "designated_by"))
    context = {
        "plan": action.plan,
        "action": action,
        "form": forms.get("form") or ActionForm(instance=action, plan=action.plan),
        "conflict": forms.get("conflict"),
        "reading": services.timeframe_reading(
            (forms.get("form")["timeframe"].value() if forms.get("form") else action.timeframe)
            or ""
        ),
        "coordinators": coordinators,
        "jointly": sum(c.role == ActionAgency.Role.COORDINATING for c in coordinators) > 1,
        "agency_form": forms.get("agency_form") or AddCoordinatorForm(action=action),
        "measures": action.success_measures.all(),
        "links": action.links_to_earlier.select_related("earlier_action__plan"),
        "link_form": forms.get("link_form") or LinkForm(action=action),
        "parts": action.sub_actions.order_by("sort_key"),
        "can_have_parts": not action.parent_id,
    }
    return render(request, "actions/editing/action.html", context, status=status)


@require_POST
def action_remove(request, plan: str, number: str):
    plan = _editable_plan(request, plan)
    action = _action(plan, number)
    label = f"{plan.code} {action.number}"
    return _pressed(
        request,
        VersionOnlyForm(request.POST),
        lambda data: services.remove_action(
            action, by=request.user, expected_version=data["version"]
        ),
        back=_edit_url(action),
        what=label,
        done=_("%(label)s removed.") % {"label": label},
        then=reverse("plan_editing:plan", kwargs={"plan": plan.slug}),
    )


@require_GET
def timeframe_preview(request, plan: str):
    """How a timeframe reads, for the action form's feedback as one types."""
    _editable_plan(request, plan)
    text = request.GET.get("text", "")[:120]
    return JsonResponse({"reading": services.timeframe_reading(text)})


# --- Coordinating agencies --------------------------------------------------------------------


@require_POST
def coordinator_add(request, plan: str, number: str):
    plan = _editable_plan(request, plan)
    action = _action(plan, number)
    form = AddCoordinatorForm(request.POST, action=action)
    added = _added(
        request,
        form,
        lambda data: services.add_coordinator(
            action,
            data["agency"],
            data["role"],
            by=request.user,
            expected_version=data["version"],
        ),
        back=_edit_url(action),
        what=f"{plan.code} {action.number}",
        done=lambda data: (
            _("%(agency)s added to %(code)s %(number)s.")
            % {"agency": data["agency"], "code": plan.code, "number": action.number}
        ),
    )
    return added or _action_page(request, action, agency_form=form, status=400)


def _coordination(action: Action, pk: int) -> ActionAgency:
    return get_object_or_404(action.coordinators.select_related("agency", "action__plan"), pk=pk)


@require_POST
def coordinator_lead(request, plan: str, number: str, pk: int):
    plan = _editable_plan(request, plan)
    action = _action(plan, number)
    coordination = _coordination(action, pk)
    label = f"{plan.code} {action.number}"
    return _pressed(
        request,
        VersionOnlyForm(request.POST),
        lambda data: services.designate_lead(
            coordination, by=request.user, expected_version=data["version"]
        ),
        back=_edit_url(action),
        what=label,
        done=_("%(agency)s is now the lead for %(label)s.")
        % {"agency": coordination.agency, "label": label},
        heading=_("%(agency)s can't be designated lead")
        % {"agency": coordination.agency.short_name},
    )


@require_POST
def coordinator_role(request, plan: str, number: str, pk: int):
    plan = _editable_plan(request, plan)
    action = _action(plan, number)
    coordination = _coordination(action, pk)
    label = f"{plan.code} {action.number}"
    return _pressed(
        request,
        RoleForm(request.POST),
        lambda data: services.change_role(
            coordination, data["role"], by=request.user, expected_version=data["version"]
        ),
        back=_edit_url(action),
        what=label,
        done=lambda: (
            _("%(agency)s is now %(role)s on %(label)s.")
            % {
                "agency": coordination.agency,
                "role": coordination.get_role_display().lower(),
                "label": label,
            }
        ),
    )


@require_POST
def coordinator_remove(request, plan: str, number: str, pk: int):
    plan = _editable_plan(request, plan)
    action = _action(plan, number)
    coordination = _coordination(action, pk)
    label = f"{plan.code} {action.number}"
    return _pressed(
        request,
        VersionOnlyForm(request.POST),
        lambda data: services.remove_coordinator(
            coordination, by=request.user, expected_version=data["version"]
        ),
        back=_edit_url(action),
        what=label,
        done=_("%(agency)s removed from %(label)s.")
        % {"agency": coordination.agency, "label": label},
    )


# --- Success measures -------------------------------------------------------------------------


def measure_form(request, plan: str, number: str, pk: int | None = None):
    plan = _editable_plan(request, plan)
    action = _action(plan, number)
    measure = get_object_or_404(action.success_measures, pk=pk) if pk else None
    instance = SuccessMeasure.objects.get(pk=pk) if pk else SuccessMeasure(action=action)
    form = MeasureForm(_posted(request), instance=instance)
    status, conflict = 200, None
    if request.method == "POST":
        if form.is_valid():
            try:
                if measure:
                    services.change_measure(
                        measure,
                        form.changes(),
                        by=request.user,
                        expected_version=form.cleaned_data["version"] or 0,
                    )
                else:
                    services.add_measure(action, form.changes(), by=request.user)
            except StaleEditError as stale:
                conflict = _form_conflict(form, stale)
            except ValidationError as invalid:
                _add_errors(form, invalid)
            else:
                messages.success(
                    request,
                    _("Success measure saved on %(code)s %(number)s.")
                    % {"code": plan.code, "number": action.number},
                )
                return redirect(_edit_url(action))
        status = 409 if conflict else 400
    return render(
        request,
        "actions/editing/measure_form.html",
        {"plan": plan, "action": action, "measure": measure, "form": form, "conflict": conflict},
        status=status,
    )


@require_POST
def measure_remove(request, plan: str, number: str, pk: int):
    plan = _editable_plan(request, plan)
    action = _action(plan, number)
    measure = get_object_or_404(action.success_measures, pk=pk)
    return _pressed(
        request,
        VersionOnlyForm(request.POST),
        lambda data: services.remove_measure(
            measure, by=request.user, expected_version=data["version"]
        ),
        back=_edit_url(action),
        what=_("the success measure on %(code)s %(number)s")
        % {"code": plan.code, "number": action.number},
        done=_("Success measure removed from %(code)s %(number)s.")
        % {"code": plan.code, "number": action.number},
    )


# --- Links to earlier plans' actions ----------------------------------------------------------


@require_POST
def link_add(request, plan: str, number: str):
    plan = _editable_plan(request, plan)
    action = _action(plan, number)
    form = LinkForm(request.POST, action=action)
    added = _added(
        request,
        form,
        lambda data: services.link_to_earlier(
            action,
            data["earlier_action"],
            data["kind"],
            data["note"],
            by=request.user,
            expected_version=data["version"],
        ),
        back=_edit_url(action),
        what=f"{plan.code} {action.number}",
        done=lambda data: (
            _("Linked to %(code)s %(number)s.")
            % {"code": data["earlier_action"].plan.code, "number": data["earlier_action"].number}
        ),
    )
    return added or _action_page(request, action, link_form=form, status=400)


@require_POST
def link_remove(request, plan: str, number: str, pk: int):
    plan = _editable_plan(request, plan)
    action = _action(plan, number)
    link = get_object_or_404(action.links_to_earlier.select_related("earlier_action__plan"), pk=pk)
    earlier = link.earlier_action
    return _pressed(
        request,
        VersionOnlyForm(request.POST),
        lambda data: services.unlink(link, by=request.user, expected_version=data["version"]),
        back=_edit_url(action),
        what=f"{plan.code} {action.number}",
        done=_("Link to %(code)s %(number)s removed.")
        % {"code": earlier.plan.code, "number": earlier.number},
    )


# --- Tagging many actions at once -------------------------------------------------------------


def tags(request, plan: str):
    """A grid of the plan's actions (rows) by its strategy's priority and focus areas (columns),
    ticked where an action carries the tag; one save sets them all."""
    plan = _editable_plan(request, plan)
    priority = list(PriorityArea.objects.filter(strategy=plan.strategy_id))
    focus = list(FocusArea.objects.filter(strategy=plan.strategy_id))
    actions = list(
        plan.actions.select_related("parent").prefetch_related("priority_areas", "focus_areas")
    )
    conflict, status = None, 200
    if request.method == "POST":
        areas = {f"p{a.pk}": a for a in priority} | {f"f{a.pk}": a for a in focus}
        wanted, versions = {}, {}
        for action in actions:
            version = request.POST.get(f"version-{action.pk}")
            if version is None or not version.isdigit():
                continue  # not on the grid that was sent: left as it is
            versions[action.pk] = int(version)
            wanted[action.pk] = {
                areas[key] for key in request.POST.getlist(f"tags-{action.pk}") if key in areas
            }
        try:
            changed = services.tag_in_bulk(plan, wanted, versions, by=request.user)
        except StaleEditError as stale:
            conflict, status = stale, 409
            ticked = {pk: set(request.POST.getlist(f"tags-{pk}")) for pk in wanted}
        else:
            numbers = ", ".join(f"{plan.code} {a.number}" for a in changed)
            if numbers:
                done = _("Tags saved: %(numbers)s changed.") % {"numbers": numbers}
            else:
                done = _("Tags saved: no action changed.")
            messages.success(request, done)
            return redirect("plan_editing:tags", plan=plan.slug)
    rows = []
    for action in actions:
        carried = {f"p{a.pk}" for a in action.priority_areas.all()} | {
            f"f{a.pk}" for a in action.focus_areas.all()
        }
        if conflict:
            carried = ticked.get(action.pk, carried)
        rows.append(
            {
                "action": action,
                "version": action.version,
                "priority": [(a, f"p{a.pk}", f"p{a.pk}" in carried) for a in priority],
                "focus": [(a, f"f{a.pk}", f"f{a.pk}" in carried) for a in focus],
            }
        )
    return render(
        request,
        "actions/editing/tags.html",
        {
            "plan": plan,
            "priority": priority,
            "focus": focus,
            "rows": rows,
            "conflict": conflict,
        },
        status=status,
    )
