from django.urls import path

from .views import dashboard, reports, returns

app_name = "reporting"

urlpatterns = [
    path("", returns.home, name="home"),
    path("my-actions/", returns.my_actions, name="my_actions"),
    path(
        "returns/<str:period>/<slug:plan>/<str:number>/<slug:agency>/",
        returns.UpdateFormView.as_view(),
        name="update_form",
    ),
    path("updates/<int:pk>/", returns.update_detail, name="update_detail"),
    path("updates/<int:pk>/review/", returns.update_review, name="update_review"),
    path("periods/", returns.period_list, name="period_list"),
    path("periods/next/", returns.period_add_next, name="period_add_next"),
    path("periods/<str:code>/", returns.period_detail, name="period_detail"),
    path("periods/<str:code>/open/", returns.period_change, {"change": "open"}, name="period_open"),
    path(
        "periods/<str:code>/close/",
        returns.period_change,
        {"change": "close"},
        name="period_close",
    ),
    # Dashboards and reports (reporting/views/dashboard.py, reporting/views/reports.py)
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
    path("reports/<int:pk>/download/", reports.report_download, name="report_download"),
    path(
        "reports/<int:pk>/status-table.docx",
        reports.report_status_table,
        name="report_status_table",
    ),
    path("reports/withholdings/<slug:plan>/", reports.withholdings, name="withholdings"),
    path(
        "reports/withholdings/release/<int:pk>/",
        reports.withholding_release,
        name="withholding_release",
    ),
]
