"""factory_boy factories for the core records. Apps add their own beside their tests."""

import factory
from django.contrib.auth import get_user_model

from bettercare.models import Area, Partner, Scheme
from bettercare.periods import FinancialYear


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


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "Test"
    last_name = factory.Sequence(lambda n: f"User {n}")
    password = factory.django.Password("bettercare-test")


class SchemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Scheme
        django_get_or_create = ["area", "number"]

    area = factory.SubFactory(AreaFactory)
    number = factory.Sequence(lambda n: n + 1)
    name = factory.Sequence(lambda n: f"Scheme {n + 1}")
    host = factory.LazyAttribute(lambda scheme: PartnerFactory(area=scheme.area))
    pooled = True
    first_year = FinancialYear(2017)
