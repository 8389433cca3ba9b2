from django.db import migrations, models

# The motives of the seed's fill-in format ("S" in SMS-TOOL.md); every other motive
# comes from the article. Copied here so the migration does not depend on the fixture.
FORMAT_CODES = [
    "legitimising.mission",
    "development.practice-partners",
    "development.expertise",
    "capital.innovation",
    "capital.knowledge",
    "capital.network",
    "capital.recruitment",
    "capital.financial",
    "societal.educating-students",
    "societal.goals",
]


def mark_format_motives(apps, schema_editor):
    Motive = apps.get_model("motives", "Motive")
    Motive.objects.filter(code__in=FORMAT_CODES).update(source="format")


class Migration(migrations.Migration):
    dependencies = [
        ("motives", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="motive",
            name="source",
            field=models.CharField(
                choices=[("format", "SMS-tool format"), ("article", "article")],
                default="article",
                help_text="The SMS-tool's fill-in format or the article's result tables.",
                max_length=10,
                verbose_name="source",
            ),
        ),
        migrations.RunPython(mark_format_motives, migrations.RunPython.noop),
    ]
