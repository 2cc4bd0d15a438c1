from django.db import migrations, models
import django.db.models.deletion


class Migration(migrations.Migration):
    initial = True
    dependencies = []

    operations = [
        migrations.CreateModel(
            name="Department",
            fields=[
                ("code", models.PositiveSmallIntegerField(primary_key=True, serialize=False, verbose_name="code")),
                ("name", models.CharField(max_length=80, unique=True, verbose_name="name")),
            ],
            options={"ordering": ["code"], "verbose_name": "department", "verbose_name_plural": "departments"},
        ),
        migrations.CreateModel(
            name="Municipality",
            fields=[
                ("code", models.PositiveSmallIntegerField(primary_key=True, serialize=False, verbose_name="code")),
                ("name", models.CharField(max_length=80, verbose_name="name")),
                (
                    "department",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="municipalities",
                        to="core.department",
                        verbose_name="department",
                    ),
                ),
            ],
            options={"ordering": ["code"], "verbose_name": "municipality", "verbose_name_plural": "municipalities"},
        ),
        migrations.AddConstraint(
            model_name="municipality",
            constraint=models.UniqueConstraint(
                fields=("department", "name"), name="municipality_unique_name_in_department"
            ),
        ),
    ]
