"""A report's funding line names whose money it is and from which source, in the one
vocabulary of bettercare.funding, instead of Southampton's own codes: "ccg" is the area's CCG's
NHS contribution, "scc" the council's own contribution and "scc_ibcf" the council's iBCF. The
labels people read (CCG, SCC, SCC iBCF) are unchanged."""
import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('bettercare', '0004_scheme_register'),
        ('schemes', '0003_scheme_register_moved'),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name='financialline',
            name='one_line_per_funding_source',
        ),
        migrations.RemoveConstraint(
            model_name='financialline',
            name='other_funding_source_is_named',
        ),
        migrations.AddField(
            model_name='financialline',
            name='partner',
            field=models.ForeignKey(blank=True, help_text='Whose money the line is; empty for an other source, named below.', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='bettercare.partner'),
        ),
        migrations.AlterField(
            model_name='financialline',
            name='source',
            field=models.CharField(choices=[('nhs', 'NHS contribution'), ('council', 'Council contribution'), ('ibcf', 'Improved Better Care Fund (iBCF)'), ('dfg', 'Disabled Facilities Grant (capital)'), ('other_grant', 'Other grants'), ('other', 'Other')], help_text="The partner's own contribution or a grant (bettercare.funding), or other.", max_length=20, verbose_name='Funding source'),
        ),
    ]
