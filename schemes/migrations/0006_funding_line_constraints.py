"""Each funding line is one partner's source, or another source with its name, once per report."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("schemes", "0005_funding_lines_named"),
    ]

    operations = [
        migrations.AddConstraint(
            model_name='financialline',
            constraint=models.UniqueConstraint(condition=models.Q(('source', 'other'), _negated=True), fields=('report', 'partner', 'source'), name='one_line_per_funding_source'),
        ),
        migrations.AddConstraint(
            model_name='financialline',
            constraint=models.UniqueConstraint(condition=models.Q(('source', 'other')), fields=('report', 'other_source'), name='one_line_per_other_source'),
        ),
        migrations.AddConstraint(
            model_name='financialline',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('source', 'other'), ('partner__isnull', True), models.Q(('other_source', ''), _negated=True)), models.Q(models.Q(('source', 'other'), _negated=True), ('partner__isnull', False), ('other_source', '')), _connector='OR'), name='funding_line_is_a_partners_or_named', violation_error_message="A funding line is a partner's source, or another source with its name."),
        ),
    ]
