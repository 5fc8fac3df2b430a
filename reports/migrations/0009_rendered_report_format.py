# The render cache holds PDF and Word files: a format per row, the bytes in "content".

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0008_slotdialoog_sources"),
        ("workshop", "0003_participant_anonymised"),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="renderedreport", name="rendered_report_done_has_pdf"
        ),
        migrations.RemoveIndex(model_name="renderedreport", name="reports_ren_evaluat_353f47_idx"),
        migrations.RenameField(model_name="renderedreport", old_name="pdf", new_name="content"),
        migrations.AlterField(
            model_name="renderedreport",
            name="content",
            field=models.BinaryField(blank=True, editable=False, null=True, verbose_name="bestand"),
        ),
        migrations.AddField(
            model_name="renderedreport",
            name="format",
            field=models.CharField(
                choices=[("pdf", "PDF"), ("docx", "Word (DOCX)")],
                default="pdf",
                max_length=10,
                verbose_name="formaat",
            ),
        ),
        migrations.AddIndex(
            model_name="renderedreport",
            index=models.Index(
                fields=["evaluation", "kind", "format", "-requested_at"],
                name="reports_ren_evaluat_7e4a25_idx",
            ),
        ),
        migrations.AddConstraint(
            model_name="renderedreport",
            constraint=models.CheckConstraint(
                condition=models.Q(("format__in", ["pdf", "docx"])),
                name="rendered_report_format_valid",
            ),
        ),
        migrations.AddConstraint(
            model_name="renderedreport",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("status", "klaar"), _negated=True),
                    ("content__isnull", False),
                    _connector="OR",
                ),
                name="rendered_report_done_has_content",
            ),
        ),
    ]
