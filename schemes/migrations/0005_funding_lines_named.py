"""Each funding line is given its partner and source in bettercare.funding's words (see
0004). Apart from the schema changes, so PostgreSQL applies them in their own transactions."""

from django.db import migrations

# The old codes, as (partner code, partner kind, source).
OLD_CODES = {
    "ccg": ("CCG", "nhs", "nhs"),
    "scc": ("SCC", "council", "council"),
    "scc_ibcf": ("SCC", "council", "ibcf"),
}
OLD_LABELS = {"ccg": "CCG", "scc": "SCC", "scc_ibcf": "SCC iBCF"}


def lines_name_their_partner(apps, schema_editor):
    FinancialLine = apps.get_model("schemes", "FinancialLine")
    Partner = apps.get_model("bettercare", "Partner")
    for line in FinancialLine.objects.exclude(source="other").select_related("report__scheme"):
        code, kind, source = OLD_CODES[line.source]
        partners = Partner.objects.filter(area_id=line.report.scheme.area_id)
        partner = partners.filter(code=code).first() or partners.filter(kind=kind).first()
        if partner is None:  # no such partner in the area: keep the words as an other source
            line.source, line.other_source = "other", OLD_LABELS[line.source]
        else:
            line.partner, line.source = partner, source
        line.save(update_fields=["partner", "source", "other_source"])


def lines_back_to_codes(apps, schema_editor):
    FinancialLine = apps.get_model("schemes", "FinancialLine")
    back = {"nhs": "ccg", "council": "scc", "ibcf": "scc_ibcf"}
    for line in FinancialLine.objects.exclude(source="other").select_related("partner"):
        if line.source in back:
            line.source = back[line.source]
        else:
            line.other_source, line.source = f"{line.partner.code} {line.source}", "other"
        line.partner = None
        line.save(update_fields=["partner", "source", "other_source"])


class Migration(migrations.Migration):

    dependencies = [
        ("schemes", "0004_funding_lines_by_partner_and_source"),
    ]

    operations = [
        migrations.RunPython(lines_name_their_partner, lines_back_to_codes),
    ]
