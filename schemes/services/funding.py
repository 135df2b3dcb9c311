"""Filling a report's Overall Financial Performance from finance's figures for the scheme."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.db import transaction
from django.utils import timezone

from bettercare.funding import FundingLine, SchemeFunding
from bettercare.money import parse_money

from ..models import FinancialLine, HighlightReport
from .content import check_may_write, version_claim
from .errors import ReportError


@transaction.atomic
def highlight_report_financial_lines_set(
    *,
    report: HighlightReport,
    user,
    lines: Sequence[FundingLine],
    at: dt.datetime | None = None,
) -> HighlightReport:
    """Replace the report's Overall Financial Performance with these lines, each a partner's
    money from one source (`bettercare.funding.FundingLine`).

    This is where finance data prefills a report: the totals, shares and variances are then
    worked out from these lines like any others. Only while the report is editable; an edit
    page already open sees the change as someone else's save."""
    check_may_write(user, report)
    partners = {partner.code: partner for partner in report.scheme.area.partners.all()}
    rows = []
    for position, line in enumerate(lines):
        if line.partner not in partners:
            raise ReportError(f"{line.partner} is not a partner of {report.scheme.area.name}.")
        row = FinancialLine(
            report=report,
            position=position,
            partner=partners[line.partner],
            source=line.source,
            annual_value=parse_money(line.annual_value),
            projected_spend=None
            if line.projected_spend is None
            else parse_money(line.projected_spend),
        )
        row.full_clean(exclude=["report"], validate_unique=False)
        rows.append(row)
    if len({(row.partner_id, row.source) for row in rows}) != len(rows):
        raise ReportError("Each funding source can have only one line.")
    version_claim(report, report.version)
    report.updated, report.updated_by = at or timezone.now(), user
    report.save()
    FinancialLine.objects.filter(report=report).delete()
    FinancialLine.objects.bulk_create(rows)
    return report


def highlight_report_finance_prefill(
    *, report: HighlightReport, user, funding: SchemeFunding | None
) -> bool:
    """Fill the report's Overall Financial Performance with the scheme's funding lines as
    finance gives them (`bettercare.contributions.scheme_funding`): each partner's budget as its
    annual value and its latest forecast as the projected year end spend. False when there is
    nothing to fill in."""
    if funding is None or not funding.lines:
        return False
    highlight_report_financial_lines_set(report=report, user=user, lines=funding.lines)
    return True
