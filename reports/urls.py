from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("", views.workspace, name="workspace"),
    path("voorbeeld/", views.preview, {"kind": "eindrapport"}, name="preview"),
    path(
        "tussenrapportage/voorbeeld/",
        views.preview,
        {"kind": "tussenrapportage"},
        name="interim_preview",
    ),
    path("eindrapport/", views.report_make, {"kind": "eindrapport"}, name="eindrapport"),
    path(
        "tussenrapportage/",
        views.report_make,
        {"kind": "tussenrapportage"},
        name="tussenrapportage",
    ),
    path("pdf/<int:pk>/", views.report_download, name="download"),
    path("export/", views.export, name="export"),
    path("hoofdstuk/<slug:section>/", views.section_edit, name="section"),
    path("hoe-vragen/<int:pk>/", views.recommendations_edit, name="recommendations"),
    path("sessies/<int:pk>/notities/", views.session_notes, name="session_notes"),
]
