"""factory_boy factories for the core records: areas, partners, people with a role, schemes.

Each app's own records have their factories beside its tests (`tests/<app>/factories.py`). A
factory builds a valid record with only what the test names: `SchemeFactory(area=area)` gives
a pooled scheme hosted by one of the area's partners, `UserFactory(role=Role.ANALYST,
areas=[area])` an analyst of that area.
"""

import factory
from django.contrib.auth import get_user_model

from bettercare.models import Area, Partner, Scheme, SchemeYearName, StagedImport
from bettercare.periods import FinancialYear
from bettercare.roles import Role
from bettercare.services import area_membership_add, scheme_lead_assign, user_with_role_save


class AreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Area
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"E06{n + 100:06d}")
    name = factory.Sequence(lambda n: f"Area {n}")


class PartnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partner
        django_get_or_create = ["area", "code"]

    area = factory.SubFactory(AreaFactory)
    code = "CCG"
    name = factory.LazyAttribute(lambda partner: f"{partner.area.name} {partner.code}")
    kind = Partner.Kind.NHS


class CouncilFactory(PartnerFactory):
    code = "SCC"
    kind = Partner.Kind.COUNCIL


class UserFactory(factory.django.DjangoModelFactory):
    """A person; with `role`, one holding that role (its group), and with `areas`, belonging to
    those areas: as `bettercare.services.user_with_role_save` makes them."""

    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "Test"
    last_name = factory.Sequence(lambda n: f"User {n}")
    password = factory.django.Password("bettercare-test")

    @factory.post_generation
    def role(user, create, role, **kwargs):
        if create and role is not None:
            user_with_role_save(
                username=user.username,
                role=Role(role),
                areas=[],
                first_name=user.first_name,
                last_name=user.last_name,
                email=user.email,
            )
            user.refresh_from_db()

    @factory.post_generation
    def areas(user, create, areas, **kwargs):
        # Each area with the role given (see area_membership_add); with none, no role.
        for area in areas or ():
            area_membership_add(user=user, area=area)


class SchemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Scheme
        django_get_or_create = ["area", "number"]
        skip_postgeneration_save = True

    area = factory.SubFactory(AreaFactory)
    number = factory.Sequence(lambda n: n + 1)
    name = factory.Sequence(lambda n: f"Scheme {n + 1}")
    host = factory.LazyAttribute(lambda scheme: PartnerFactory(area=scheme.area))
    pooled = True
    first_year = FinancialYear(2017)

    @factory.post_generation
    def leads(scheme, create, leads, **kwargs):
        for lead in leads or ():
            scheme_lead_assign(scheme=scheme, user=lead)


class SchemeYearNameFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SchemeYearName

    scheme = factory.SubFactory(SchemeFactory)
    financial_year = FinancialYear(2017)
    name = factory.LazyAttribute(lambda year_name: f"{year_name.scheme.name} (earlier name)")


class StagedImportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StagedImport

    area = factory.SubFactory(AreaFactory)
    kind = "metrics"
    file_name = "figures.csv"
    content = b"area,metric,period,series,value\n"
    sha256 = ""
    created_by = factory.SubFactory(UserFactory)
