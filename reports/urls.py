from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("", views.workspace, name="workspace"),
    path("voorbeeld/", views.preview, name="preview"),
    path("tussenrapportage/voorbeeld/", views.interim_preview, name="interim_preview"),
    path("eindrapport.pdf", views.eindrapport, name="eindrapport"),
    path("tussenrapportage.pdf", views.tussenrapportage, name="tussenrapportage"),
    path("export/", views.export, name="export"),
    path("hoofdstuk/<slug:section>/", views.section_edit, name="section"),
    path("hoe-vragen/<int:pk>/", views.recommendations_edit, name="recommendations"),
    path("sessies/<int:pk>/notities/", views.session_notes, name="session_notes"),
]
