"""Who may do what: every page and API endpoint, requested as every role.

The world is ``small_plan`` (tests/reporting/reports_setup.py): Customs (``agency``) leads TSOC 1,
whose Q3 return is submitted; Police (``other_agency``) alone coordinates TSOC 3b, whose Q3 return
is a draft (Customs reads it, since it coordinates 3a, the other line of action 3, but can't
change it); Customs supports TSOC 2 and has no Q3 update on it yet. A Cabinet report is ready,
and the description of TSOC 1 is withheld from proactive release.

Each row is a request and the status each role gets, in this order (``POST:save`` and the like
send that form's data, ``FORMS`` below; a plain ``POST`` sends none):

    anonymous  outsider  viewer  contributor  lead  other_lead  secretariat
                (no role)        (Customs)   (Customs) (Police)

``L`` is a redirect to the sign-in page; ``A`` a redirect to the admin's sign-in. A forbidden
object the user can't even see is 404; a visible one they may not change is 403. A change is made
inside a transaction that is rolled back, so every request sees the same world, and a refused
request (4xx) must leave the returns, periods, reports and withholdings as they were; every
difference from the matrix is reported at once. Every URL the site routes must appear here
(test_every_url_is_in_the_matrix), so a new page can't ship without its row.
"""

import copy
import datetime
import json

import pytest
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve

from actions.models import (
    Action,
    ActionAgency,
    ActionGroup,
    ActionLink,
    ActionPlan,
    IndicatorReading,
    SuccessMeasure,
)
from actions.uploads.models import PlanUpload
from agencies.models import Agency, AgencyAlias, Membership, PersonEvent
from reporting.models import (
    ActionDependency,
    Comment,
    Evidence,
    FollowUp,
    Meeting,
    ProactiveRelease,
    Report,
    ReportingPeriod,
    ReturnDraft,
    Risk,
    StatusUpdate,
    Withholding,
)
from tests.actions.factories import (
    ActionFactory,
    ActionGroupFactory,
    ActionPlanFactory,
    IndicatorReadingFactory,
    SuccessMeasureFactory,
)
from tests.reporting.governance_setup import governance_records
from tests.reporting.releases_setup import approved_release, released_release
from tests.reporting.reports_setup import small_plan
from tests.reporting.test_reports import ready_report

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "outsider", "viewer", "contributor", "lead", "other_lead", "secretariat_user")
U1 = "{u1}"  # Customs' submitted return on TSOC 1, Q3
U3B = "{u3b}"  # Police's draft return on TSOC 3b, Q3
RETURN_1 = "/returns/2026-Q3/tsoc-test-plan/1/customs/"
RETURN_3B = "/returns/2026-Q3/tsoc-test-plan/3b/police/"
RETURN_2 = "/returns/2026-Q3/tsoc-test-plan/2/customs/"  # Customs supports 2; not started
RETURN_2_CLOSED = "/returns/2026-Q2/tsoc-test-plan/2/customs/"  # in the closed quarter
RETURN_1_POLICE = "/returns/2026-Q3/tsoc-test-plan/1/police/"  # Police doesn't coordinate 1

MATRIX = """
GET    /                                            L  403 302 302 302 302 302
GET    /my-actions/                                 L  403 403 200 200 200 403
GET    {RETURN_1}                                   L  404 403 403 403 404 403
POST   {RETURN_1}                                   L  404 403 403 403 404 403
GET    {RETURN_3B}                                  L  404 403 403 403 200 403
POST   {RETURN_3B}                                  L  404 403 403 403 200 403
POST:keep {RETURN_3B}autosave/                      401 404 403 403 403 200 403
POST:save {RETURN_1}autosave/                       401 404 403 403 403 404 403
GET    {RETURN_3B}check/                            L  404 403 403 403 200 403
POST   {RETURN_3B}check/                            L  404 403 403 403 302 403
GET    {RETURN_2}                                   L  404 403 200 200 403 403
POST:save {RETURN_2}                                L  404 403 302 302 403 403
POST:submit {RETURN_2}                              L  404 403 403 302 403 403
GET    {RETURN_2_CLOSED}                            L  404 403 403 403 403 403
POST:save {RETURN_2_CLOSED}                         L  404 403 403 403 403 403
GET    {RETURN_1_POLICE}                            L  404 404 404 404 404 404
GET    /updates/{u1}/                               L  404 200 200 200 404 200
GET    /updates/{u3b}/                              L  404 200 200 200 200 200
POST   /updates/{u1}/review/                        L  404 403 403 403 404 200
POST:accept /updates/{u1}/review/                   L  404 403 403 403 404 302
POST:return /updates/{u1}/review/                   L  404 403 403 403 404 302
GET    /updates/{u1}/review/                        L  405 405 405 405 405 405
GET    /periods/next/                               L  405 405 405 405 405 405
POST   /updates/{u1}/withdraw/                      L  404 403 403 400 404 403
POST:withdraw /updates/{u1}/withdraw/               L  404 403 403 302 404 403
POST:comment /updates/{u1}/comments/               L  404 403 302 302 404 302
GET    /updates/{u1}/comments/                      L  405 405 405 405 405 405
POST:withhold /comments/{comment}/withhold/         L  404 403 403 403 404 302
GET    /comments/{comment}/withhold/                L  405 405 405 405 405 405
GET    /updates/{u1}/correct/                       L  404 403 403 403 404 200
POST:correct /updates/{u1}/correct/                 L  404 403 403 403 404 302
POST:link /updates/{u3b}/evidence/                  L  404 403 403 403 302 403
POST   /updates/{u3b}/evidence/                     L  404 403 403 403 400 403
POST:link /updates/{u1}/evidence/                   L  404 403 403 403 404 403
GET    /updates/{u1}/evidence/                      L  405 405 405 405 405 405
GET    /evidence/{ev1}/download/                    L  404 200 200 200 404 200
GET    /evidence/{ev3b}/download/                   L  404 404 404 404 404 404
POST   /evidence/{ev3b}/remove/                     L  404 403 403 403 302 403
GET    /evidence/{ev3b}/remove/                     L  405 405 405 405 405 405
POST:bulk /periods/2026-Q3/accept/                  L  403 403 403 403 403 302
GET    /periods/2026-Q3/accept/                     L  405 405 405 405 405 405
GET    /periods/                                    L  403 200 403 403 403 200
POST   /periods/next/                               L  403 403 403 403 403 302
GET    /periods/2026-Q3/                            L  403 200 403 403 403 200
GET    /periods/2026-Q3/unopen/                     L  403 403 403 403 403 200
POST   /periods/2026-Q3/unopen/                     L  403 403 403 403 403 400
GET    /periods/2026-Q3/close/                      L  403 403 403 403 403 200
POST   /periods/2026-Q3/close/                      L  403 403 403 403 403 302
GET    /periods/2026-Q2/open/                       L  403 403 403 403 403 200
POST   /periods/2026-Q2/open/                       L  403 403 403 403 403 302
GET    /dashboard/                                  L  404 302 302 302 302 302
GET    /dashboard/tsoc-test-plan/                   L  404 200 200 200 200 200
GET    /dashboard/tsoc-test-plan/2026-Q3/updates.xlsx L  404 200 200 200 200 200
GET    /reports/                                    L  403 200 403 403 403 200
POST   /reports/new/                                L  403 403 403 403 403 400
GET    /reports/{report}/                           L  404 200 404 404 404 200
POST   /reports/{report}/retry/                     L  403 403 403 403 403 302
POST   /reports/{report}/final/                     L  403 403 403 403 403 302
GET    /reports/{report}/delete/                    L  404 403 404 404 404 200
POST   /reports/{report}/delete/                    L  404 403 404 404 404 302
GET    /reports/{report}/download/                  L  404 200 404 404 404 200
GET    /reports/{report}/status-table.docx          L  404 200 404 404 404 200
POST   /reports/{report}/approve-release/           L  403 403 403 403 403 302
GET    /releases/                                   L  403 200 403 403 403 200
GET    /releases/{release}/release/                 L  403 403 403 403 403 200
GET    /releases/{release}/pack.pdf                 L  404 404 404 404 404 404
GET    /releases/{released}/pack.pdf                L  404 200 404 404 404 200
GET    /public/                                     200 200 200 200 200 200 200
GET    /public/tsoc-test-plan/                      200 200 200 200 200 200 200
GET    /public/no-such-plan/                        404 404 404 404 404 404 404
GET    /public/releases/{released}/pack.pdf         200 200 200 200 200 200 200
GET    /public/releases/{release}/pack.pdf          404 404 404 404 404 404 404
GET    /public/language/mi/                         302 302 302 302 302 302 302
GET    /public/language/fr/                         404 404 404 404 404 404 404
GET    /reports/withholdings/tsoc-test-plan/        L  403 403 403 403 403 200
POST   /reports/withholdings/tsoc-test-plan/        L  403 403 403 403 403 200
POST   /reports/withholdings/release/{withheld}/    L  403 403 403 403 403 302
GET    /governance/risks/                           L  403 200 200 200 200 200
GET    /governance/risks/new/                       L  403 403 403 403 403 200
POST   /governance/risks/new/                       L  403 403 403 403 403 400
GET    /governance/risks/{risk}/                    L  404 200 200 200 404 200
POST   /governance/risks/{risk}/                    L  404 403 403 400 404 400
GET    /governance/risks/export.xlsx                L  403 200 200 200 200 200
GET    /updates/{u1}/raise-risk/                    L  404 403 403 200 404 200
POST   /updates/{u1}/raise-risk/                    L  404 403 403 400 404 400
GET    /governance/meetings/                        L  403 200 403 403 403 200
GET    /governance/meetings/new/                    L  403 403 403 403 403 200
POST   /governance/meetings/new/                    L  403 403 403 403 403 400
GET    /governance/meetings/{meeting}/              L  404 200 404 404 404 200
POST   /governance/meetings/{meeting}/              L  404 403 404 404 404 400
GET    /governance/follow-ups/{follow_up}/          L  404 200 200 200 404 200
POST   /governance/follow-ups/{follow_up}/          L  404 403 403 400 404 400
GET    /governance/follow-ups/export.csv            L  403 200 200 200 200 200
GET    /governance/actions/{a3b}/depends-on/        L  405 405 405 405 405 405
POST   /governance/actions/{a3b}/depends-on/        L  404 403 403 403 403 302
GET    /governance/dependencies/{dependency}/remove/ L  405 405 405 405 405 405
POST   /governance/dependencies/{dependency}/remove/ L  403 403 403 403 403 302
GET    /plans/                                      L  200 200 200 200 200 200
GET    /plan-uploads/                               L  403 403 403 403 403 200
POST   /plan-uploads/new/                           L  403 403 403 403 403 400
GET    /plan-uploads/new/                           L  405 405 405 405 405 405
GET    /plan-uploads/{upload}/                      L  403 403 403 403 403 200
POST   /plan-uploads/{upload}/confirm/              L  403 403 403 403 403 302
POST   /plan-uploads/{upload}/discard/              L  403 403 403 403 403 302
GET    /plan-uploads/plans/tsoc-test-plan.csv       L  403 403 403 403 403 200
GET    /plans/tsoc-test-plan/                       L  404 200 200 200 200 200
GET    /plans/tsoc-test-plan/actions/3b/            L  404 200 200 200 200 200
GET    /plans/edit/                                 L  403 403 403 403 403 200
GET    /plans/edit/new/{strategy_slug}/             L  403 403 403 403 403 200
POST   /plans/edit/new/{strategy_slug}/             L  403 403 403 403 403 400
GET    /plans/tsoc-test-plan/edit/                   L  404 403 403 403 403 200
POST   /plans/tsoc-test-plan/edit/                   L  404 403 403 403 403 400
GET    /plans/tsoc-test-plan/edit/revision/          L  404 403 403 403 403 200
POST   /plans/tsoc-test-plan/edit/revision/          L  404 403 403 403 403 400
GET    /plans/tsoc-test-plan/edit/tags/              L  404 403 403 403 403 200
POST   /plans/tsoc-test-plan/edit/tags/              L  404 403 403 403 403 302
GET    /plans/tsoc-test-plan/edit/timeframe/         L  404 403 403 403 403 200
GET    /plans/tsoc-test-plan/edit/groups/new/        L  404 403 403 403 403 200
POST   /plans/tsoc-test-plan/edit/groups/new/        L  404 403 403 403 403 400
GET    /plans/tsoc-test-plan/edit/groups/{group}/    L  404 403 403 403 403 200
POST   /plans/tsoc-test-plan/edit/groups/{group}/    L  404 403 403 403 403 400
GET    /plans/tsoc-test-plan/edit/groups/{group}/move/ L 405 405 405 405 405 405
POST   /plans/tsoc-test-plan/edit/groups/{group}/move/ L 404 403 403 403 403 302
GET    /plans/tsoc-test-plan/edit/groups/{group}/remove/ L 405 405 405 405 405 405
POST   /plans/tsoc-test-plan/edit/groups/{group}/remove/ L 404 403 403 403 403 302
GET    /plans/tsoc-test-plan/edit/actions/new/       L  404 403 403 403 403 200
POST   /plans/tsoc-test-plan/edit/actions/new/       L  404 403 403 403 403 400
GET    /plans/tsoc-test-plan/edit/actions/3b/                   L  404 403 403 403 403 200
POST   /plans/tsoc-test-plan/edit/actions/3b/                   L  404 403 403 403 403 400
GET    /plans/tsoc-test-plan/edit/actions/3b/remove/            L  405 405 405 405 405 405
POST   /plans/tsoc-test-plan/edit/actions/3b/remove/            L  404 403 403 403 403 302
GET    /plans/tsoc-test-plan/edit/actions/3b/agencies/          L  405 405 405 405 405 405
POST   /plans/tsoc-test-plan/edit/actions/3b/agencies/          L  404 403 403 403 403 400
GET    /plans/tsoc-test-plan/edit/actions/3b/agencies/{coord}/lead/ L 405 405 405 405 405 405
POST   /plans/tsoc-test-plan/edit/actions/3b/agencies/{coord}/lead/ L 404 403 403 403 403 302
GET    /plans/tsoc-test-plan/edit/actions/3b/agencies/{coord}/role/ L 405 405 405 405 405 405
POST   /plans/tsoc-test-plan/edit/actions/3b/agencies/{coord}/role/ L 404 403 403 403 403 302
GET    /plans/tsoc-test-plan/edit/actions/3b/agencies/{coord}/remove/ L 405 405 405 405 405 405
POST   /plans/tsoc-test-plan/edit/actions/3b/agencies/{coord}/remove/ L 404 403 403 403 403 302
GET    /plans/tsoc-test-plan/edit/actions/3b/measures/new/      L  404 403 403 403 403 200
POST   /plans/tsoc-test-plan/edit/actions/3b/measures/new/      L  404 403 403 403 403 400
GET    /plans/tsoc-test-plan/edit/actions/3b/measures/{measure}/ L 404 403 403 403 403 200
POST   /plans/tsoc-test-plan/edit/actions/3b/measures/{measure}/ L 404 403 403 403 403 400
GET    /plans/tsoc-test-plan/edit/actions/3b/measures/{measure}/remove/ L 405 405 405 405 405 405
POST   /plans/tsoc-test-plan/edit/actions/3b/measures/{measure}/remove/ L 404 403 403 403 403 302
GET    /plans/tsoc-test-plan/edit/actions/3b/links/             L  405 405 405 405 405 405
POST   /plans/tsoc-test-plan/edit/actions/3b/links/             L  404 403 403 403 403 400
GET    /plans/tsoc-test-plan/edit/actions/3b/links/{link}/remove/ L 405 405 405 405 405 405
POST   /plans/tsoc-test-plan/edit/actions/3b/links/{link}/remove/ L 404 403 403 403 403 302
GET    /search/                                     L  200 200 200 200 200 200
GET    /favicon.ico                                 302 302 302 302 302 302 302
GET    /i18n/setlang/                               302 302 302 302 302 302 302
POST   /i18n/setlang/                               302 302 302 302 302 302 302
GET    /i18n/scripts/                               200 200 200 200 200 200 200
GET    /strategies/                                 L  200 200 200 200 200 200
GET    /strategies/{strategy_slug}/                 L  404 200 200 200 200 200
GET    /accounts/login/                             200 200 200 200 200 200 200
POST   /accounts/logout/                            L  L   L   L   L   L   L
GET    /accounts/session/                           200 200 200 200 200 200 200
POST   /accounts/session/                           200 200 200 200 200 200 200
GET    /accounts/password_change/                   L  200 200 200 200 200 200
GET    /accounts/password_change/done/              L  200 200 200 200 200 200
GET    /accounts/password_reset/                    200 200 200 200 200 200 200
GET    /accounts/password_reset/done/               200 200 200 200 200 200 200
GET    /accounts/reset/MQ/set-password/             200 200 200 200 200 200 200
GET    /accounts/reset/done/                        200 200 200 200 200 200 200
GET    /accounts/login/code/                        L  L   L   L   L   L   L
GET    /accounts/two-step/                          L  200 200 200 200 200 200
GET    /accounts/two-step/set-up/                   L  200 200 200 200 200 200
GET    /accounts/two-step/recovery-codes/           L  302 302 302 302 302 302
POST   /accounts/two-step/recovery-codes/new/       L  302 302 302 302 302 302
POST   /accounts/two-step/turn-off/                 L  302 302 302 302 302 302
GET    /accounts/two-step/people/                   L  404 404 404 404 404 200
GET    /accounts/two-step/people/{person}/reset/    L  405 405 405 405 405 405
POST   /accounts/two-step/people/{person}/reset/    L  404 404 404 404 404 302
GET    /accounts/agency/start/                      404 404 404 404 404 404 404
GET    /accounts/agency/callback/                   404 404 404 404 404 404 404
GET    /accounts/agency/refused/                    403 403 403 403 403 403 403
GET    /admin/login/                                L  L   L   L   L   L   L
GET    /people/                                     L  403 403 403 403 403 200
GET    /people/invite/                              L  403 403 403 403 403 200
POST   /people/invite/                              L  403 403 403 403 403 400
GET    /people/{person}/                            L  403 403 403 403 403 200
POST   /people/{person}/memberships/                L  403 403 403 403 403 400
GET    /people/{person}/memberships/                L  405 405 405 405 405 405
POST   /people/{person}/groups/                     L  403 403 403 403 403 302
POST   /people/{person}/deactivate/                 L  403 403 403 403 403 302
POST   /people/{person}/reactivate/                 L  403 403 403 403 403 302
POST   /people/{person}/invite-again/               L  403 403 403 403 403 302
POST   /people/memberships/{membership}/role/       L  403 403 403 403 403 302
POST   /people/memberships/{membership}/remove/     L  403 403 403 403 403 302
GET    /people/agencies/                            L  403 403 403 403 403 200
GET    /people/agencies/new/                        L  403 403 403 403 403 200
POST   /people/agencies/new/                        L  403 403 403 403 403 400
GET    /people/agencies/customs/                    L  403 403 403 403 403 200
POST   /people/agencies/customs/                    L  403 403 403 403 403 400
GET    /people/welcome/MQ/set-password/             200 200 200 200 200 200 200
GET    /api/v1/me/                                  401 200 200 200 200 200 200
GET    /api/v1/agencies/                            401 200 200 200 200 200 200
GET    /api/v1/agencies/{customs}/                  401 404 200 200 200 200 200
GET    /api/v1/strategies/                          401 200 200 200 200 200 200
GET    /api/v1/strategies/{strategy}/               401 404 200 200 200 200 200
GET    /api/v1/priority-areas/                      401 200 200 200 200 200 200
GET    /api/v1/priority-areas/{priority_area}/      401 404 200 200 200 200 200
GET    /api/v1/focus-areas/                         401 200 200 200 200 200 200
GET    /api/v1/focus-areas/{focus_area}/            401 404 200 200 200 200 200
GET    /api/v1/plans/                               401 200 200 200 200 200 200
GET    /api/v1/plans/{plan}/                        401 404 200 200 200 200 200
GET    /api/v1/indicator-readings/                  401 200 200 200 200 200 200
GET    /api/v1/indicator-readings/{reading}/        401 404 200 200 200 200 200
GET    /api/v1/actions/                             401 200 200 200 200 200 200
GET    /api/v1/actions/{a3b}/                       401 404 200 200 200 200 200
GET    /api/v1/status-updates/                      401 200 200 200 200 200 200
GET    /api/v1/status-updates/{u1}/                 401 404 200 200 200 404 200
GET    /api/v1/status-updates/{u3b}/                401 404 200 200 200 200 200
POST   /api/v1/status-updates/                      401 400 403 201 201 403 403
PATCH  /api/v1/status-updates/{u1}/                 401 404 403 409 409 404 403
PATCH  /api/v1/status-updates/{u3b}/                401 404 403 403 403 200 403
POST   /api/v1/status-updates/{u3b}/submit/         401 404 403 403 403 200 403
GET    /api/v1/evidence/                            401 200 200 200 200 200 200
GET    /api/v1/evidence/{ev1}/                      401 404 200 200 200 404 200
GET    /api/v1/evidence/{ev1}/download/             401 404 200 200 200 404 200
GET    /api/v1/evidence/{ev3b}/download/            401 404 404 404 404 404 404
POST   /api/v1/evidence/                            401 400 403 403 403 201 403
GET    /api/v1/periods/                             401 200 200 200 200 200 200
GET    /api/v1/periods/{period}/                    401 404 200 200 200 200 200
GET    /api/v1/search/                              401 400 400 400 400 400 400
GET    /api/v1/risks/                               401 200 200 200 200 200 200
GET    /api/v1/risks/{risk}/                        401 404 200 200 200 404 200
GET    /api/v1/meetings/                            401 200 200 200 200 200 200
GET    /api/v1/meetings/{meeting}/                  401 404 200 404 404 404 200
GET    /api/v1/follow-ups/                          401 200 200 200 200 200 200
GET    /api/v1/follow-ups/{follow_up}/              401 404 200 200 200 404 200
GET    /api/v1/action-dependencies/                 401 200 200 200 200 200 200
GET    /api/v1/action-dependencies/{dependency}/    401 404 200 200 200 200 200
GET    /api/v1/no-such-endpoint/                    404 404 404 404 404 404 404
GET    /api/schema/                                 200 200 200 200 200 200 200
GET    /api/docs/                                   200 200 200 200 200 200 200
GET    /admin/                                      A  A   A   A   A   A   A
"""
for name, path in {
    "{RETURN_1_POLICE}": RETURN_1_POLICE,
    "{RETURN_2_CLOSED}": RETURN_2_CLOSED,
    "{RETURN_1}": RETURN_1,
    "{RETURN_2}": RETURN_2,
    "{RETURN_3B}": RETURN_3B,
}.items():
    MATRIX = MATRIX.replace(name, path)
# The form data of ``POST:<form>`` rows; ``{v_u1}`` is the current version of u1.
FORMS = {
    "save": {"status": "at_risk", "percent_complete": "40", "commentary": "Changed", "version": ""},
    "submit": {
        "status": "at_risk",
        "percent_complete": "40",
        "commentary": "Changed",
        "version": "",
        "intent": "submit",
    },
    "keep": {"status": "on_track", "commentary": "Typing…", "version": "{v_u3b}"},
    "accept": {"decision": "accept", "version": "{v_u1}"},
    "withdraw": {"version": "{v_u1}"},
    "return": {"decision": "return", "version": "{v_u1}", "comment": "Add the figures, please."},
    "comment": {"body": "Which ports does this cover?"},
    "withhold": {"ground": "6(c)", "marking": "IN CONFIDENCE"},
    "correct": {
        "commentary": "Scanners installed at Auckland.",
        "reason": "Named the port",
        "version": "{v_u1}",
    },
    "link": {"url": "https://example.govt.nz/evidence", "name": "Search warrant statistics"},
    "bulk": {"accept": "{u1}:{v_u1}"},
}

ROWS = [line.split() for line in MATRIX.strip().splitlines()]


@pytest.fixture
def world(agency, other_agency, contributor, secretariat_user, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    setup = small_plan(agency, other_agency)
    secretariat = secretariat_user
    u1 = setup.updates[("1", "customs", "2026-Q3")]
    u3b = setup.updates[("3b", "police", "2026-Q3")]
    strategy = setup.plan.strategy
    governance = governance_records(setup, agency)
    earlier = ActionFactory(
        plan=ActionPlanFactory(
            strategy=strategy,
            slug="tsoc-earlier-plan",
            start_date=datetime.date(2020, 1, 1),
            end_date=datetime.date(2020, 12, 31),
        ),
        number="7",
    )
    return {
        "ids": {
            "u1": u1.pk,
            "u3b": u3b.pk,
            "report": ready_report(setup).pk,
            "upload": PlanUpload.objects.create(
                plan=setup.plan, filename="plan.csv", size=0, state=PlanUpload.State.REFUSED
            ).pk,
            "release": approved_release(setup, secretariat).pk,
            "released": released_release(setup, secretariat).pk,
            "withheld": Withholding.objects.create(
                action=setup.actions["1"], field="description", ground="6(c)"
            ).pk,
            "customs": agency.pk,
            "strategy": strategy.pk,
            "strategy_slug": strategy.slug,
            "priority_area": strategy.priority_areas.first().pk,
            "focus_area": strategy.focus_areas.first().pk,
            "plan": setup.plan.pk,
            "a3b": setup.actions["3b"].pk,
            "period": setup.period.pk,
            "reading": IndicatorReadingFactory(measure__action=setup.actions["1"]).pk,
            "person": contributor.pk,  # whose two-step sign-in the secretariat resets
            "membership": contributor.memberships.get().pk,
            "comment": Comment.post(u1, kind="comment", body="A question", by=None).pk,
            "ev1": Evidence.objects.create(
                update=u1,
                name="scan.pdf",
                file=ContentFile(b"%PDF-1.4 evidence", name="scan.pdf"),
                content_type="application/pdf",
                size=17,
            ).pk,
            "ev3b": Evidence.objects.create(
                update=u3b, name="Court records", url="https://example.govt.nz/court"
            ).pk,
            "group": ActionGroupFactory(plan=setup.plan).pk,
            "coord": setup.actions["3b"].coordinators.get().pk,
            "measure": SuccessMeasureFactory(action=setup.actions["3b"]).pk,
            "link": ActionLink.objects.create(
                action=setup.actions["3b"], earlier_action=earlier, kind="carries_on"
            ).pk,
            **governance,
        },
        "versions": {u1.pk: u1.version, u3b.pk: u3b.version},
        "new_update": {
            "action_id": setup.actions["2"].pk,
            "period": "2026-Q3",
            "agency": "customs",
            "status": "on_track",
        },
    }


def api_change(method: str, path: str, world) -> dict:
    """A well-formed API change, with the current version as If-Match."""
    if method == "POST" and path.endswith("/status-updates/"):
        body = world["new_update"]
        return {"content_type": "application/json", "data": json.dumps(body)}
    if method == "POST" and path.endswith("/evidence/"):
        body = {"update_id": world["ids"]["u3b"], "url": "https://example.govt.nz/x", "name": "X"}
        return {"content_type": "application/json", "data": json.dumps(body)}
    pk = next(pk for pk in world["versions"] if f"/{pk}/" in path)
    return {
        "content_type": "application/json",
        "data": json.dumps({"percent_complete": 50}),
        "HTTP_IF_MATCH": f'"{world["versions"][pk]}"',
    }


def form_data(form: str, world) -> dict:
    versions = {f"v_{name}": world["versions"][world["ids"][name]] for name in ("u1", "u3b")}
    return {key: value.format(**versions, **world["ids"]) for key, value in FORMS[form].items()}


# What a refused request must not change.
WORLD = (
    StatusUpdate,
    ReportingPeriod,
    Report,
    Withholding,
    IndicatorReading,
    Comment,
    Evidence,
    ProactiveRelease,
    ReturnDraft,
    Risk,
    Meeting,
    FollowUp,
    ActionDependency,
    ActionPlan,
    ActionGroup,
    Action,
    ActionAgency,
    SuccessMeasure,
    ActionLink,
    Action.priority_areas.through,
    Action.focus_areas.through,
    PlanUpload,
    get_user_model(),
    Membership,
    Agency,
    AgencyAlias,
    PersonEvent,
)


def stored_world() -> tuple:
    """Every row of ``WORLD``'s tables."""
    return tuple(list(model.objects.order_by("pk").values()) for model in WORLD)


class WritesToTheWorld(list):
    """The SQL statements run while in use that could change a row of ``WORLD``: every one
    naming one of its tables, but those that only read. A request that ran none left the world
    as it was (its session's expiry is written on every request, to a table outside it), so
    the world needn't be read again to know."""

    READS = frozenset({"SELECT", "SAVEPOINT", "RELEASE", "ROLLBACK"})
    TABLES = tuple(f'"{model._meta.db_table}"' for model in WORLD)

    def __enter__(self):
        self._wrapping = connection.execute_wrapper(self._record)
        self._wrapping.__enter__()
        return self

    def __exit__(self, *exc):
        return self._wrapping.__exit__(*exc)

    def _record(self, execute, sql, params, many, context):
        reads = sql.lstrip(" (").split(None, 1)[0].upper() in self.READS
        if not reads and any(table in sql for table in self.TABLES):
            self.append(sql)
        return execute(sql, params, many, context)


def outcome(response) -> str:
    location = response.get("Location", "")
    if response.status_code == 302 and location.startswith("/admin/login/"):
        return "A"
    if response.status_code == 302 and location.startswith("/accounts/login/"):
        return "L"
    return str(response.status_code)


def test_each_role_gets_what_the_matrix_says(request, world):
    clients = {role: Client() for role in ROLES}
    for role, client in clients.items():
        if role != "anonymous":
            client.force_login(request.getfixturevalue(role))
    signed_in = {role: copy.deepcopy(client.cookies) for role, client in clients.items()}
    differences = []
    # Every request's changes are rolled back, so the world before each is the world now.
    before = stored_world()
    for row, template, *codes in ROWS:
        method, _, form = row.partition(":")
        path = template.format(**world["ids"])
        if path.startswith("/api/") and method != "GET":
            request_kwargs = api_change(method, path, world)
        else:
            request_kwargs = {"data": form_data(form, world)} if form else {}
        for role, expected in zip(ROLES, codes, strict=True):
            with transaction.atomic(), WritesToTheWorld() as writes:
                response = getattr(clients[role], method.lower())(path, **request_kwargs)
                if response.status_code >= 400 and writes and stored_world() != before:
                    differences.append(f"{row} {template} as {role} was refused but changed data")
                transaction.set_rollback(True)
            clients[role].cookies = copy.deepcopy(signed_in[role])  # as before, signed out or not
            if (got := outcome(response)) != expected:
                differences.append(f"{row} {template} as {role}: {got}, not {expected}")

    assert differences == [], "\n".join(differences)


def routed_paths(patterns=None, prefix=""):
    """Every route of the site outside the admin, as a pattern string."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            if not route.startswith("admin/"):
                yield from routed_paths(pattern.url_patterns, route)
        elif isinstance(pattern, URLPattern):
            yield route


def test_every_url_is_in_the_matrix(world):
    def plain(route: str) -> str:  # resolve() drops the anchors of regex routes
        return route.replace("^", "")

    covered = {plain(resolve(template.format(**world["ids"])).route) for _, template, *_ in ROWS}

    missing = [route for route in routed_paths() if plain(route) not in covered]

    assert missing == []
