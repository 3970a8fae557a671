"""Every page and action of the return, for every role: who gets in, and who changes nothing.

Each case is one request by one of the cast (anonymous, someone signed in with no role, a
steering-group viewer, the secretariat, Customs' lead and contributor, Police's lead) against
the same situation: Customs leads an action with a draft update this quarter, and another with a
submitted one. A forbidden object the user can't even see is 404; a visible one they may not
change is 403; a refused request changes nothing.
"""

from urllib.parse import urlsplit

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse

from reporting.models import ReportingPeriod, StatusUpdate
from tests.reporting.factories import ReportingPeriodFactory, StatusUpdateFactory
from tests.reporting.scenes import open_period, shared_action

ROLES = ["anonymous", "outsider", "viewer", "secretariat", "lead", "contributor", "other_lead"]
LOGIN = 302  # anonymous people are sent to sign in


def expect(anonymous, outsider, viewer, secretariat, lead, contributor, other_lead):
    return dict(
        zip(
            ROLES,
            (anonymous, outsider, viewer, secretariat, lead, contributor, other_lead),
            strict=True,
        )
    )


@pytest.fixture
def scene(agency):
    period = open_period()
    drafted = shared_action(agency, title="Drafted this quarter")
    reviewed = shared_action(agency, title="Submitted for review")
    return {
        "period": period,
        "upcoming": ReportingPeriodFactory(year=2027, quarter=1, state="upcoming"),
        "drafted": drafted,
        "draft": StatusUpdateFactory(action=drafted, agency=agency, period=period, state="draft"),
        "submitted": StatusUpdateFactory(
            action=reviewed, agency=agency, period=period, state="submitted"
        ),
        "agency": agency,
    }


def form_url(s):
    action = s["drafted"]
    return reverse(
        "reporting:update_form",
        kwargs={
            "period": s["period"].code,
            "plan": action.plan.slug,
            "number": action.number,
            "agency": s["agency"].slug,
        },
    )


def update_data(intent):
    return {
        "status": "at_risk",
        "percent_complete": "40",
        "commentary": "Changed",
        "version": "1",
        "intent": intent,
    }


# (name, method, url(scene), data, expected status per role, URL name(s) it covers)
CASES = [
    ("home", "get", lambda s: "/", None, expect(LOGIN, 403, 302, 302, 302, 302, 302)),
    (
        "my actions",
        "get",
        lambda s: reverse("reporting:my_actions"),
        None,
        expect(LOGIN, 403, 403, 403, 200, 200, 200),
    ),
    ("update form", "get", form_url, None, expect(LOGIN, 404, 403, 403, 200, 200, 404)),
    (
        "save a draft",
        "post",
        form_url,
        update_data("save"),
        expect(LOGIN, 404, 403, 403, 302, 302, 404),
    ),
    (
        "submit",
        "post",
        form_url,
        update_data("submit"),
        expect(LOGIN, 404, 403, 403, 302, 403, 404),
    ),
    (
        "check before submitting",
        "get",
        lambda s: form_url(s) + "check/",
        None,
        expect(LOGIN, 404, 403, 403, 200, 200, 404),
    ),
    (
        "submit after checking",
        "post",
        lambda s: form_url(s) + "check/",
        {"version": "1"},
        expect(LOGIN, 404, 403, 403, 302, 403, 404),
    ),
    (
        "withdraw",
        "post",
        lambda s: reverse("reporting:update_withdraw", kwargs={"pk": s["submitted"].pk}),
        {"version": "1"},
        expect(LOGIN, 404, 403, 403, 302, 403, 404),
    ),
    (
        "update form, period not open",
        "get",
        lambda s: form_url(s).replace(s["period"].code, s["upcoming"].code),
        None,
        expect(LOGIN, 404, 403, 403, 403, 403, 404),
    ),
    (
        "update form, agency not coordinating",
        "get",
        lambda s: form_url(s).replace("/customs/", "/police/"),
        None,
        expect(LOGIN, 404, 404, 404, 404, 404, 404),
    ),
    (
        "update",
        "get",
        lambda s: reverse("reporting:update_detail", kwargs={"pk": s["draft"].pk}),
        None,
        expect(LOGIN, 404, 200, 200, 200, 200, 404),
    ),
    (
        "accept",
        "post",
        lambda s: reverse("reporting:update_review", kwargs={"pk": s["submitted"].pk}),
        {"decision": "accept", "version": "1"},
        expect(LOGIN, 404, 403, 302, 403, 403, 404),
    ),
    (
        "return",
        "post",
        lambda s: reverse("reporting:update_review", kwargs={"pk": s["submitted"].pk}),
        {"decision": "return", "version": "1", "comment": "More detail, please."},
        expect(LOGIN, 404, 403, 302, 403, 403, 404),
    ),
    (
        "review by GET",
        "get",
        lambda s: reverse("reporting:update_review", kwargs={"pk": s["submitted"].pk}),
        None,
        expect(LOGIN, 405, 405, 405, 405, 405, 405),
    ),
    (
        "periods",
        "get",
        lambda s: reverse("reporting:period_list"),
        None,
        expect(LOGIN, 403, 200, 200, 403, 403, 403),
    ),
    (
        "period review page",
        "get",
        lambda s: reverse("reporting:period_detail", kwargs={"code": s["period"].code}),
        None,
        expect(LOGIN, 403, 200, 200, 403, 403, 403),
    ),
    (
        "close: confirm",
        "get",
        lambda s: reverse("reporting:period_close", kwargs={"code": s["period"].code}),
        None,
        expect(LOGIN, 403, 403, 200, 403, 403, 403),
    ),
    (
        "close",
        "post",
        lambda s: reverse("reporting:period_close", kwargs={"code": s["period"].code}),
        {},
        expect(LOGIN, 403, 403, 302, 403, 403, 403),
    ),
    (
        "open",
        "post",
        lambda s: reverse("reporting:period_open", kwargs={"code": s["upcoming"].code}),
        {"early": "yes"},
        expect(LOGIN, 403, 403, 302, 403, 403, 403),
    ),
    (
        "put back to scheduled (refused: a return is submitted)",
        "post",
        lambda s: reverse("reporting:period_unopen", kwargs={"code": s["period"].code}),
        {},
        expect(LOGIN, 403, 403, 400, 403, 403, 403),
    ),
    (
        "set up the next quarter",
        "post",
        lambda s: reverse("reporting:period_add_next"),
        {},
        expect(LOGIN, 403, 403, 302, 403, 403, 403),
    ),
    (
        "set up the next quarter by GET",
        "get",
        lambda s: reverse("reporting:period_add_next"),
        None,
        expect(LOGIN, 405, 405, 405, 405, 405, 405),
    ),
    (
        "plans",
        "get",
        lambda s: reverse("actions:plan_list"),
        None,
        expect(LOGIN, 200, 200, 200, 200, 200, 200),
    ),
    (
        "plan",
        "get",
        lambda s: s["drafted"].plan.get_absolute_url(),
        None,
        expect(LOGIN, 404, 200, 200, 200, 200, 200),
    ),
    (
        "action page",
        "get",
        lambda s: s["drafted"].get_absolute_url(),
        None,
        expect(LOGIN, 404, 200, 200, 200, 200, 200),
    ),
    (
        "sign in",
        "get",
        lambda s: reverse("login"),
        None,
        expect(200, 200, 200, 200, 200, 200, 200),
    ),
    (
        "change password",
        "get",
        lambda s: reverse("password_change"),
        None,
        expect(LOGIN, 200, 200, 200, 200, 200, 200),
    ),
    (
        "reset password",
        "get",
        lambda s: reverse("password_reset"),
        None,
        expect(200, 200, 200, 200, 200, 200, 200),
    ),
]

# Every URL served by these modules must be in the matrix.
COVERED_MODULES = ("reporting.returns.views", "reporting.periods.views", "actions.views")


ROLE_FIXTURES = {"secretariat": "secretariat_user"}


@pytest.fixture
def user_for(request):
    """The user playing ``role`` (from the root conftest's cast), or None for anonymous."""

    def user(role):
        if role == "anonymous":
            return None
        return request.getfixturevalue(ROLE_FIXTURES.get(role, role))

    return user


def snapshot():
    return (
        list(StatusUpdate.objects.order_by("pk").values()),
        list(ReportingPeriod.objects.order_by("pk").values()),
    )


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    ("name", "method", "url", "data", "expected"), CASES, ids=[case[0] for case in CASES]
)
def test_permission_matrix(client_for, user_for, scene, role, name, method, url, data, expected):
    client = client_for(user_for(role))
    before = snapshot()
    response = client.post(url(scene), data) if method == "post" else client.get(url(scene))
    assert response.status_code == expected[role], f"{name} as {role}"
    if role == "anonymous" and expected[role] == LOGIN:
        assert response.url.startswith(reverse("login"))
    if response.status_code != 302:
        assert snapshot() == before, f"{name} as {role} was refused but changed something"


def _named_patterns(patterns, namespace=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _named_patterns(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            view = getattr(pattern.callback, "view_class", pattern.callback)
            yield f"{namespace}{pattern.name}", view.__module__


def test_the_matrix_covers_every_return_and_plan_page(scene):
    served = {
        name
        for name, module in _named_patterns(get_resolver().url_patterns)
        if module in COVERED_MODULES
    }
    in_matrix = {resolve(urlsplit(case[2](scene)).path).view_name for case in CASES}
    assert served - in_matrix == set()
