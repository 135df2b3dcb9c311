"""Joins two migrations made side by side for issue 15: comparator areas (`Area.kind`) and a
role per area (`AreaMembership.role`). Neither touches the other's field."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("bettercare", "0005_area_kind"),
        ("bettercare", "0005_areamembership_role"),
    ]

    operations = []
