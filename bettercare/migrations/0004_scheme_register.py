"""The register of schemes moves from the schemes app to bettercare, below every app that
refers to it (highlight reports, finance, board packs). Only Django's record of the models
moves: the tables keep their names (schemes_scheme ...) and their rows, and the content types
follow, so permissions and admin history stay attached."""

import bettercare.fields
import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models

MOVED = ["scheme", "schemeyearname", "historicalscheme"]


def _relabel(apps, old: str, new: str) -> None:
    ContentType = apps.get_model("contenttypes", "ContentType")
    taken = set(ContentType.objects.filter(app_label=new, model__in=MOVED).values_list("model", flat=True))
    ContentType.objects.filter(app_label=old, model__in=[m for m in MOVED if m not in taken]).update(app_label=new)


def content_types_follow(apps, schema_editor):
    _relabel(apps, "schemes", "bettercare")


def content_types_go_back(apps, schema_editor):
    _relabel(apps, "bettercare", "schemes")


class Migration(migrations.Migration):

    dependencies = [
        ('schemes', '0002_highlight_reports'),
        ('bettercare', '0003_job'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ('contenttypes', '0002_remove_content_type_name'),
    ]

    operations = [
        migrations.RunPython(content_types_follow, content_types_go_back),
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='HistoricalScheme',
                    fields=[
                        ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                        ('number', models.PositiveSmallIntegerField(help_text="The scheme's number in the area's plan.")),
                        ('name', models.CharField(help_text="The scheme's name now; earlier years may differ (see below).", max_length=200)),
                        ('short_name', models.CharField(blank=True, help_text='A short form for tables, e.g. Rehab & Reablement.', max_length=60)),
                        ('pooled', models.BooleanField(default=True, help_text='Untick for a scheme whose budgets are not pooled (“Budgets not pooled - Joint Oversight of Scheme”).', verbose_name='budgets pooled')),
                        ('pooled_budget_manager', models.CharField(blank=True, max_length=200)),
                        ('aims', models.TextField(blank=True, help_text="From the scheme specification; each quarter's highlight report starts from it.", verbose_name='original aims and anticipated outcomes')),
                        ('first_year', bettercare.fields.FinancialYearField(help_text='The first financial year of the scheme.')),
                        ('last_year', bettercare.fields.FinancialYearField(blank=True, help_text='The last financial year of the scheme; blank while it continues.')),
                        ('history_id', models.AutoField(primary_key=True, serialize=False)),
                        ('history_date', models.DateTimeField(db_index=True)),
                        ('history_change_reason', models.CharField(max_length=100, null=True)),
                        ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                        ('area', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='bettercare.area')),
                        ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('host', models.ForeignKey(blank=True, db_constraint=False, help_text='The partner hosting the scheme; empty when budgets are not pooled.', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='bettercare.partner', verbose_name='host organisation')),
                    ],
                    options={
                        'verbose_name': 'historical scheme',
                        'verbose_name_plural': 'historical schemes',
                        'db_table': 'schemes_historicalscheme',
                        'ordering': ('-history_date', '-history_id'),
                        'get_latest_by': ('history_date', 'history_id'),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name='Scheme',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('number', models.PositiveSmallIntegerField(help_text="The scheme's number in the area's plan.")),
                        ('name', models.CharField(help_text="The scheme's name now; earlier years may differ (see below).", max_length=200)),
                        ('short_name', models.CharField(blank=True, help_text='A short form for tables, e.g. Rehab & Reablement.', max_length=60)),
                        ('pooled', models.BooleanField(default=True, help_text='Untick for a scheme whose budgets are not pooled (“Budgets not pooled - Joint Oversight of Scheme”).', verbose_name='budgets pooled')),
                        ('pooled_budget_manager', models.CharField(blank=True, max_length=200)),
                        ('aims', models.TextField(blank=True, help_text="From the scheme specification; each quarter's highlight report starts from it.", verbose_name='original aims and anticipated outcomes')),
                        ('first_year', bettercare.fields.FinancialYearField(help_text='The first financial year of the scheme.')),
                        ('last_year', bettercare.fields.FinancialYearField(blank=True, help_text='The last financial year of the scheme; blank while it continues.')),
                        ('area', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='schemes', to='bettercare.area')),
                        ('host', models.ForeignKey(blank=True, help_text='The partner hosting the scheme; empty when budgets are not pooled.', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='hosted_schemes', to='bettercare.partner', verbose_name='host organisation')),
                        ('leads', models.ManyToManyField(blank=True, help_text="Scheme leads who write this scheme's highlight reports.", related_name='led_schemes', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'db_table': 'schemes_scheme',
                        'ordering': ['area', 'number'],
                    },
                ),
                migrations.CreateModel(
                    name='SchemeYearName',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('financial_year', bettercare.fields.FinancialYearField()),
                        ('name', models.CharField(max_length=200)),
                        ('scheme', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='year_names', to='bettercare.scheme')),
                    ],
                    options={
                        'db_table': 'schemes_schemeyearname',
                        'ordering': ['scheme', 'financial_year'],
                    },
                ),
                migrations.AddConstraint(
                    model_name='scheme',
                    constraint=models.UniqueConstraint(fields=('area', 'number'), name='scheme_number_unique_in_area'),
                ),
                migrations.AddConstraint(
                    model_name='scheme',
                    constraint=models.CheckConstraint(condition=models.Q(models.Q(('host__isnull', False), ('pooled', True)), models.Q(('host__isnull', True), ('pooled', False)), _connector='OR'), name='pooled_scheme_has_host', violation_error_message='A pooled scheme needs a host organisation, and a scheme whose budgets are not pooled has none.'),
                ),
                migrations.AddConstraint(
                    model_name='schemeyearname',
                    constraint=models.UniqueConstraint(fields=('scheme', 'financial_year'), name='one_scheme_name_per_year'),
                ),
            ],
            database_operations=[],
        ),
    ]
