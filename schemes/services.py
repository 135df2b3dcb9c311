"""Every write to schemes and their leads."""

from __future__ import annotations

from django.db import transaction

from bettercare.models import Area, Partner
from bettercare.periods import FinancialYear
from bettercare.services import area_membership_add

from .models import Scheme


@transaction.atomic
def scheme_save(
    *,
    area: Area,
    number: int,
    name: str,
    host: Partner | None,
    first_year: FinancialYear,
    last_year: FinancialYear | None = None,
    short_name: str = "",
    pooled_budget_manager: str = "",
    aims: str | None = None,
) -> Scheme:
    """Create scheme `number` of the area or bring it up to date. A scheme with no host is one
    whose budgets are not pooled. `aims=None` keeps the aims the scheme already has."""
    defaults = {
        "name": name,
        "short_name": short_name,
        "host": host,
        "pooled": host is not None,
        "pooled_budget_manager": pooled_budget_manager,
        "first_year": first_year,
        "last_year": last_year or "",
    }
    if aims is not None:
        defaults["aims"] = aims
    scheme = Scheme.objects.filter(area=area, number=number).first() or Scheme(
        area=area, number=number
    )
    for field, value in defaults.items():
        setattr(scheme, field, value)
    scheme.full_clean()
    scheme.save()
    return scheme


@transaction.atomic
def scheme_lead_assign(*, scheme: Scheme, user) -> None:
    """Make `user` a lead of the scheme; a lead must belong to the scheme's area."""
    area_membership_add(user=user, area=scheme.area)
    scheme.leads.add(user)
