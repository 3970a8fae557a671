from django.urls import path, re_path

from .conversation import views as conversation
from .dashboard import views as dashboard
from .governance import views as governance
from .periods import views as periods
from .releases import views as releases
from .reports import views as reports
from .returns import autosave_views as autosave
from .returns import evidence_views, submit_views
from .returns import views as returns
from .returns.autosave_views import keeps_text_through_sign_in
from .search import views as search
from .withholdings import views as withholdings

app_name = "reporting"

urlpatterns = [
    path("", returns.home, name="home"),
    path("my-actions/", returns.my_actions, name="my_actions"),
    path(
        "returns/<str:period>/<slug:plan>/<str:number>/<slug:agency>/",
        keeps_text_through_sign_in(returns.UpdateFormView.as_view(), answers_script=False),
        name="update_form",
    ),
    path(
        "returns/<str:period>/<slug:plan>/<str:number>/<slug:agency>/autosave/",
        keeps_text_through_sign_in(autosave.UpdateAutosaveView.as_view(), answers_script=True),
        name="update_autosave",
    ),
    path(
        "returns/<str:period>/<slug:plan>/<str:number>/<slug:agency>/check/",
        submit_views.CheckAnswersView.as_view(),
        name="update_check",
    ),
    path("updates/<int:pk>/", returns.update_detail, name="update_detail"),
    path("updates/<int:pk>/review/", returns.update_review, name="update_review"),
    path("updates/<int:pk>/withdraw/", submit_views.update_withdraw, name="update_withdraw"),
    path("updates/<int:pk>/correct/", returns.UpdateCorrectView.as_view(), name="update_correct"),
    path("updates/<int:pk>/comments/", conversation.comment_add, name="comment_add"),
    path("comments/<int:pk>/withhold/", conversation.comment_withhold, name="comment_withhold"),
    path("updates/<int:pk>/evidence/", evidence_views.evidence_attach, name="evidence_attach"),
    path("evidence/<int:pk>/download/", evidence_views.evidence_download, name="evidence_download"),
    path("evidence/<int:pk>/remove/", evidence_views.evidence_remove, name="evidence_remove"),
    path("periods/", periods.period_list, name="period_list"),
    path("periods/next/", periods.period_add_next, name="period_add_next"),
    path("periods/<str:code>/", periods.period_detail, name="period_detail"),
    path("periods/<str:code>/accept/", periods.period_accept, name="period_accept"),
    path("periods/<str:code>/open/", periods.period_change, {"change": "open"}, name="period_open"),
    path(
        "periods/<str:code>/unopen/",
        periods.period_change,
        {"change": "unopen"},
        name="period_unopen",
    ),
    path(
        "periods/<str:code>/close/",
        periods.period_change,
        {"change": "close"},
        name="period_close",
    ),
    path("search/", search.search, name="search"),
    path("dashboard/", dashboard.dashboard_index, name="dashboard_index"),
    path("dashboard/<slug:plan>/", dashboard.dashboard, name="dashboard"),
    path(
        "dashboard/<slug:plan>/<str:period>/updates.xlsx",
        dashboard.updates_xlsx,
        name="updates_xlsx",
    ),
    path("reports/", reports.report_list, name="report_list"),
    path("reports/new/", reports.report_create, name="report_create"),
    path("reports/<int:pk>/", reports.report_detail, name="report_detail"),
    path("reports/<int:pk>/retry/", reports.report_retry, name="report_retry"),
    path("reports/<int:pk>/final/", reports.report_final, name="report_final"),
    path("reports/<int:pk>/delete/", reports.report_delete, name="report_delete"),
    path("reports/<int:pk>/download/", reports.report_download, name="report_download"),
    path(
        "reports/<int:pk>/status-table.docx",
        reports.report_status_table,
        name="report_status_table",
    ),
    path("reports/<int:pk>/approve-release/", releases.approve, name="release_approve"),
    path("releases/", releases.register, name="release_register"),
    path("releases/<int:pk>/release/", releases.release, name="release"),
    path("releases/<int:pk>/pack.pdf", releases.pack_download, name="release_pack"),
    path("reports/withholdings/<slug:plan>/", withholdings.withholdings, name="withholdings"),
    path(
        "reports/withholdings/release/<int:pk>/",
        withholdings.withholding_release,
        name="withholding_release",
    ),
    # The steering group's governance (reporting/governance/).
    path("governance/risks/", governance.risk_register, name="risk_register"),
    path("governance/risks/new/", governance.risk_create, name="risk_create"),
    path("governance/risks/<int:pk>/", governance.risk_detail, name="risk_detail"),
    re_path(
        r"^governance/risks/export\.(?P<fmt>csv|xlsx)$", governance.risk_export, name="risk_export"
    ),
    path("updates/<int:pk>/raise-risk/", governance.risk_promote, name="risk_promote"),
    path("governance/meetings/", governance.meeting_list, name="meeting_list"),
    path("governance/meetings/new/", governance.meeting_create, name="meeting_create"),
    path("governance/meetings/<int:pk>/", governance.meeting_detail, name="meeting_detail"),
    path("governance/follow-ups/<int:pk>/", governance.follow_up_detail, name="follow_up_detail"),
    re_path(
        r"^governance/follow-ups/export\.(?P<fmt>csv|xlsx)$",
        governance.follow_up_export,
        name="follow_up_export",
    ),
    path(
        "governance/actions/<int:pk>/depends-on/",
        governance.dependency_add,
        name="dependency_add",
    ),
    path(
        "governance/dependencies/<int:pk>/remove/",
        governance.dependency_remove,
        name="dependency_remove",
    ),
]
