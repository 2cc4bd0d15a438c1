from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True
    dependencies = []

    operations = [
        migrations.CreateModel(
            name="AuditEvent",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("seq", models.BigIntegerField(unique=True, verbose_name="sequence")),
                ("occurred_at", models.DateTimeField(db_index=True, verbose_name="time")),
                ("actor_id", models.BigIntegerField(blank=True, db_index=True, null=True, verbose_name="actor id")),
                ("actor_username", models.CharField(blank=True, max_length=150, verbose_name="actor")),
                ("institution_code", models.CharField(blank=True, db_index=True, max_length=40, verbose_name="institution")),
                (
                    "action",
                    models.CharField(
                        choices=[
                            ("create", "created"), ("change", "changed"), ("delete", "deleted"),
                            ("view", "viewed identity"), ("export", "exported"), ("login", "signed in"),
                            ("logout", "signed out"), ("key_rotation", "rotated encryption keys"),
                        ],
                        db_index=True, max_length=20, verbose_name="action",
                    ),
                ),
                ("object_type", models.CharField(blank=True, db_index=True, max_length=80, verbose_name="object type")),
                ("object_id", models.CharField(blank=True, db_index=True, max_length=64, verbose_name="object")),
                ("fields", models.JSONField(blank=True, default=list, verbose_name="fields")),
                ("object_ids", models.JSONField(blank=True, default=list, verbose_name="objects")),
                ("prev_hash", models.CharField(max_length=64, verbose_name="previous hash")),
                ("hash", models.CharField(max_length=64, unique=True, verbose_name="hash")),
            ],
            options={"ordering": ["-seq"], "verbose_name": "audit event", "verbose_name_plural": "audit events"},
        ),
        migrations.CreateModel(
            name="AuditHead",
            fields=[
                ("id", models.PositiveSmallIntegerField(default=1, primary_key=True, serialize=False)),
                ("seq", models.BigIntegerField(default=0)),
                ("hash", models.CharField(default="0" * 64, max_length=64)),
            ],
            options={"verbose_name": "audit head"},
        ),
    ]
