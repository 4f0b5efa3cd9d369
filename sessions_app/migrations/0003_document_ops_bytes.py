import json

from django.db import migrations, models


def ops_bytes_backfill(apps, schema_editor):
    """Count the op log each existing document already stores (the same measure as commits)."""
    Document = apps.get_model("sessions_app", "Document")
    DocumentOp = apps.get_model("sessions_app", "DocumentOp")
    for document in Document.objects.all().iterator():
        bodies = DocumentOp.objects.filter(
            collection=document.collection, doc_id=document.doc_id
        ).values_list("op", flat=True)
        total = sum(
            len(json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode())
            for body in bodies.iterator()
        )
        Document.objects.filter(pk=document.pk).update(ops_bytes=total)


class Migration(migrations.Migration):
    dependencies = [
        ("sessions_app", "0002_invite_token"),
    ]

    operations = [
        migrations.AddField(
            model_name="document",
            name="ops_bytes",
            field=models.PositiveBigIntegerField(
                default=0, help_text="Size of the stored op log (UTF-8 JSON of the op bodies)."
            ),
        ),
        migrations.RunPython(ops_bytes_backfill, migrations.RunPython.noop),
    ]
