"""Schemes belong to an area, have a host or are not pooled, and leads see only their own."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from bettercare.models import NOT_POOLED_LABEL, SchemeYearName
from bettercare.periods import FinancialYear
from bettercare.roles import Role
from bettercare.selectors import schemes_visible_to

pytestmark = pytest.mark.django_db


def test_a_pooled_scheme_must_have_a_host_and_an_unpooled_one_none(carers):
    carers.host = None
    with pytest.raises(IntegrityError), transaction.atomic():
        carers.save()


def test_unpooled_scheme_reads_as_the_template_words_it(area):
    from tests.factories import SchemeFactory

    send = SchemeFactory(area=area, number=9, name="SEND", host=None, pooled=False)
    assert send.host_label == NOT_POOLED_LABEL


def test_host_must_be_a_partner_of_the_same_area(carers, other_area):
    carers.host = other_area.partners.first()
    with pytest.raises(ValidationError, match="partner of the scheme's area"):
        carers.full_clean()


def test_scheme_names_can_differ_by_year(carers):
    SchemeYearName.objects.create(
        scheme=carers, financial_year=FinancialYear(2017), name="Support for Carers"
    )
    assert carers.name_in(FinancialYear(2017)) == "Support for Carers"
    assert carers.name_in(FinancialYear(2018)) == "Carers"


def test_scheme_numbers_are_unique_within_an_area(carers):
    from tests.factories import SchemeFactory

    with pytest.raises(IntegrityError), transaction.atomic():
        SchemeFactory._meta.model.objects.create(
            area=carers.area, number=1, name="Again", host=carers.host,
            first_year=FinancialYear(2017),
        )


def test_visibility_by_role(area, analyst, secretary, lead, carers, clusters, make_user):
    assert set(schemes_visible_to(user=analyst, area=area)) == {carers, clusters}
    assert set(schemes_visible_to(user=secretary, area=area)) == {carers, clusters}
    assert list(schemes_visible_to(user=lead, area=area)) == [carers]
    roleless = make_user("roleless", Role.SCHEME_LEAD, [area])
    assert list(schemes_visible_to(user=roleless, area=area)) == []


def test_scheme_page_lists_only_a_leads_own_schemes(login, lead, carers, clusters):
    page = login(lead).get(reverse("schemes:index")).content.decode()
    # The header names the user ("Lead-Carers Tester"): look in the schemes table itself.
    schemes_table = page.split('<h2 class="nhsuk-heading-m">Schemes</h2>')[1]
    assert carers.name_in(carers.first_year) in schemes_table
    assert clusters.name_in(clusters.first_year) not in schemes_table
    assert "Clusters" not in page


def test_scheme_page_for_an_analyst_lists_the_area_in_a_fixed_number_of_queries(
    login, analyst, area, django_assert_max_num_queries
):
    from tests.factories import SchemeFactory

    for number in range(1, 13):
        SchemeFactory(area=area, number=number, host=area.partners.first())
    client = login(analyst)
    with django_assert_max_num_queries(12):
        page = client.get(reverse("schemes:index")).content.decode()
    assert page.count('class="nhsuk-table__row') == 13  # header and 12 schemes
