# The patient list sorted from an index (issue 12): each patient's last visit is kept on the
# patient (services.consultation_create), filled here from the consultations already saved.

from django.db import migrations, models
from django.db.models import Max, OuterRef, Subquery


def fill_last_seen(apps, schema_editor):
    Patient = apps.get_model("clinic", "Patient")
    Consultation = apps.get_model("clinic", "Consultation")
    latest = (
        Consultation.objects.filter(patient=OuterRef("pk"))
        .order_by()
        .values("patient")
        .annotate(latest=Max("date"))
        .values("latest")
    )
    Patient.objects.update(last_seen=Subquery(latest))


# The list's order within a practice: last visit first, never seen last, then name. Database
# only, and only on PostgreSQL (SQLite refuses NULLS LAST in an index; its embedded use has a
# practice or two): the models' state declares no index, so `makemigrations --check` is clean.
LIST_INDEX = models.Index(
    models.F("practice"),
    models.OrderBy(models.F("last_seen"), descending=True, nulls_last=True),
    models.F("name"),
    models.F("id"),
    name="patient_list_order_idx",
)


def create_list_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.add_index(apps.get_model("clinic", "Patient"), LIST_INDEX)


def drop_list_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.remove_index(apps.get_model("clinic", "Patient"), LIST_INDEX)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_letterhead_and_registration"),
        ("clinic", "0008_patient_list_indexes"),
    ]

    operations = [
        migrations.AddField(
            model_name="patient",
            name="last_seen",
            field=models.DateField(
                blank=True, editable=False, null=True, verbose_name="Last visit"
            ),
        ),
        migrations.RunPython(fill_last_seen, migrations.RunPython.noop, elidable=True),
        migrations.RunPython(create_list_index, drop_list_index, elidable=False),
    ]
