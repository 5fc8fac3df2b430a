from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("", views.workspace, name="workspace"),
    path("opzet/<slug:kind>/", views.workspace, name="outline"),
    path("opzet/<slug:kind>/toevoegen/", views.block_add_view, name="block_add"),
    path("opzet/<slug:kind>/opzet-kiezen/", views.preset_choose, name="preset"),
    path("opzet/<slug:kind>/bestand/", views.outline_file, name="outline_file"),
    path("opzet/<slug:kind>/inlezen/", views.outline_upload, name="outline_upload"),
    path("inlezen/<int:pk>/", views.outline_import, name="outline_import"),
    path("blok/<int:pk>/", views.block_edit, name="block"),
    path("blok/<int:pk>/<slug:action>/", views.block_action, name="block_action"),
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
    path(
        "eindrapport/word/",
        views.report_make,
        {"kind": "eindrapport", "fmt": "docx"},
        name="eindrapport_docx",
    ),
    path(
        "tussenrapportage/word/",
        views.report_make,
        {"kind": "tussenrapportage", "fmt": "docx"},
        name="tussenrapportage_docx",
    ),
    path("pdf/<int:pk>/", views.report_download, name="download"),
    path("word/<int:pk>/", views.report_download, {"fmt": "docx"}, name="download_docx"),
    path(
        "afdrukken/deelnemerskaarten/",
        views.printable_make,
        {"kind": "deelnemerskaarten"},
        name="deelnemerskaarten",
    ),
    path("afdrukken/kaarten/<int:pk>/", views.cards_download, name="cards_download"),
    path(
        "afdrukken/dagprogramma/",
        views.printable_make,
        {"kind": "dagprogramma"},
        name="dagprogramma",
    ),
    path("export/", views.export, name="export"),
    path("hoofdstuk/<slug:section>/", views.section_edit, name="section"),
    path("hoe-vragen/<int:pk>/", views.recommendations_edit, name="recommendations"),
    path("sessies/<int:pk>/notities/", views.session_notes, name="session_notes"),
    path("slotdialoog/", views.wall, name="wall"),
]
