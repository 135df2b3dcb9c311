"""Every write the board pack app makes."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from bettercare.changes import model_update
from bettercare.jobs import enqueue
from bettercare.models import Area, Job, Scheme
from bettercare.periods import FinancialYear, Quarter
from bettercare.permissions import require
from bettercare.ratings import RAG_VALUES
from metrics.models import Metric
from schemes.selectors import reporting_timetable

from . import permissions
from .conditions import conditions_in_force
from .defaults import CARRIED_FORWARD_FIELDS, default_text
from .models import (
    RETURN_TEXT_LENGTH,
    Board,
    ChartDrawing,
    NationalCondition,
    Pack,
    PackBuild,
    PackHighlight,
    PackMetric,
    PackRisk,
    PackVersion,
    PortfolioRating,
    Priority,
    QuarterlyReturn,
    ReturnMetric,
    narrative_problem,
)
from .notices import pack_final_notify
from .pdf import PdfResult
from .progress import ASSESSMENT_VALUES, Assessment, override_problem
from .sections import PACK_SECTIONS, exemptable_sections
from .selectors import (
    headline_metrics_to_start_with,
    pack_job_key,
    pack_next_version_number,
    pack_previous,
    priorities_for,
    quarterly_return,
)

# What the board secretary edits on a pack, as `pack_text_save` takes it: its text, the date of
# the meeting and the data month.
# The text under each heading of the council's template, in its order.
BODY_TEXT_FIELDS = (
    "brief_summary",
    "recommendations",
    "reasons",
    "alternatives",
    "consultation",
    "property_other",
    "statutory_power",
    "legal_implications",
    "conflict_of_interest",
    "risk_implications",
    "policy_implications",
    "key_decision",
    "wards_affected",
)
COVER_FIELDS = (
    "meeting_date",
    "data_month",
    "agenda_item",
    "report_of",
    "contact_name",
    "contact_title",
    "contact_phone",
    "contact_email",
    "director_name",
    "director_title",
    "director_phone",
    "director_email",
    "confidentiality",
)
TEXT_FIELDS = (*COVER_FIELDS, *BODY_TEXT_FIELDS)
RISK_TEXT_LENGTH = 1000
BUILDS_KEPT_FOR = dt.timedelta(days=1)
METRIC_COMMENTARY_LENGTH = 600  # characters: a cell of the performance table


@dataclass(frozen=True)
class RiskText:
    """One of the programme's key risks as the secretary gives it: written anew, or taken
    from a scheme's highlight report (`scheme`)."""

    risk: str
    mitigation: str = ""
    scheme: Scheme | None = None


@dataclass(frozen=True)
class MetricText:
    """What the board secretary writes about one metric on a pack (see `PackMetric`)."""

    commentary: str = ""
    headline: bool = False
    headline_text: str = ""
    show_spc: bool = False


class PackNotEditable(ValidationError):
    """The pack is Final: its text can change only through a correction."""


@transaction.atomic
def priority_save(*, area: Area, number: int, title: str, description: str = "") -> Priority:
    """Create the area's priority `number` or bring it up to date."""
    priority = Priority.objects.filter(area=area, number=number).first() or Priority(
        area=area, number=number
    )
    priority, _ = model_update(instance=priority, data={"title": title, "description": description})
    return priority


@transaction.atomic
def pack_create(
    *,
    area: Area,
    board: str,
    quarter: Quarter,
    meeting_date: dt.date | None = None,
    user=None,
    at: dt.datetime | None = None,
) -> Pack:
    """A new Draft pack. Its standing text is carried forward from the same board's previous
    pack when there is one, else the defaults; the quarter's own text starts from defaults
    (see `reports.defaults`). The person creating it is the contact of a board's first pack.
    Its data month is the quarter's (`Quarter.data_month`), which the secretary may change.

    Its performance headlines are the metrics the previous pack chose (with the same SPC
    charts), else the national metrics of the year; their commentary, like the commentary of
    the performance table, starts empty: it is about this quarter's figures."""
    require(
        user is None or permissions.may_create_packs(user, area),
        "Only board secretaries can start a board pack.",
    )
    if board not in Board.values:
        raise ValidationError({"board": f"The board must be one of {', '.join(Board.values)}."})
    if Pack.objects.filter(area=area, board=board, quarter=quarter).exists():
        raise ValidationError(
            f"There is already a {board} pack for {quarter.short_label}: open it instead."
        )
    text = default_text(quarter=quarter, board_name=Board(board).label)
    previous = pack_previous(area=area, board=board, quarter=quarter)
    if previous is not None:
        text.update({name: getattr(previous, name) for name in CARRIED_FORWARD_FIELDS})
    elif user is not None:
        text.update(contact_name=user.get_full_name(), contact_email=user.email)
    if meeting_date is None:
        # The board's meeting in the quarter's reporting timetable, when the analysts set it.
        timetable = reporting_timetable(area=area, quarter=quarter)
        if timetable is not None:
            meeting_date = timetable.jcb_meeting if board == "JCB" else timetable.hwb_meeting
    pack = Pack(
        area=area,
        board=board,
        quarter=quarter,
        data_month=quarter.data_month,
        meeting_date=meeting_date,
        created_by=user,
        created=at or timezone.now(),
        **text,
    )
    pack.full_clean()
    pack.save()
    if previous is not None:
        # The previous pack's key risks are this one's start: most risks outlast a quarter.
        _risks_save(
            pack,
            [
                RiskText(risk=item.risk, mitigation=item.mitigation, scheme=item.scheme)
                for item in previous.risks.select_related("scheme").order_by("position")
            ],
        )
    PackHighlight.objects.bulk_create(
        PackHighlight(pack=pack, priority=priority, text="")
        for priority in priorities_for(area=area)
    )
    for metric, show_spc in headline_metrics_to_start_with(area=area, board=board, quarter=quarter):
        # Saved one by one, not in bulk: each is the first entry of its history.
        PackMetric.objects.create(pack=pack, metric=metric, headline=True, show_spc=show_spc)
    return pack


def _check_draft(pack: Pack) -> None:
    if pack.status != Pack.Status.DRAFT:
        raise PackNotEditable(
            "This pack is Final, so its text cannot change. Start a correction to make a new "
            "version."
        )


@transaction.atomic
def pack_text_save(
    *,
    pack: Pack,
    text: Mapping[str, object],
    highlights: Mapping[int, str] | None = None,
    exempt_sections: Iterable[str] | None = None,
    metric_texts: Mapping[int, MetricText] | None = None,
    risks: Sequence[RiskText] | None = None,
    user=None,
) -> Pack:
    """Save a Draft pack's editable text (its data month among it: see `TEXT_FIELDS`), its key
    highlights (priority id -> text), the sections exempt from publication, its text about
    metrics (metric id -> `MetricText`) and the programme's key risks (in order, replacing
    those held), all or nothing. A data month outside the quarter's financial year, or after
    the quarter, is refused."""
    require(
        user is None or permissions.may_edit_packs(user, pack.area),
        "Only board secretaries can edit a board pack.",
    )
    pack = Pack.objects.select_for_update().get(pk=pack.pk)
    _check_draft(pack)
    unknown = set(text) - set(TEXT_FIELDS)
    if unknown:
        raise ValidationError(f"Not editable text of a pack: {', '.join(sorted(unknown))}.")
    data = dict(text)
    if exempt_sections is not None:
        allowed = {section.id for section in exemptable_sections()}
        chosen = list(dict.fromkeys(exempt_sections))
        refused = [section_id for section_id in chosen if section_id not in allowed]
        if refused:
            raise ValidationError(
                {"exempt_sections": f"These sections cannot be exempt: {', '.join(refused)}."}
            )
        order = [section.id for section in PACK_SECTIONS]
        data["exempt_sections"] = sorted(chosen, key=order.index)
    pack, _ = model_update(instance=pack, data=data)
    if highlights is not None:
        priorities = {priority.pk: priority for priority in priorities_for(area=pack.area)}
        strangers = set(highlights) - set(priorities)
        if strangers:
            raise ValidationError("Highlights can only be written against the area's priorities.")
        existing = {item.priority_id: item for item in pack.highlights.all()}
        for priority_id, value in highlights.items():
            highlight = existing.get(priority_id) or PackHighlight(
                pack=pack, priority=priorities[priority_id]
            )
            model_update(instance=highlight, data={"text": value.strip()}, clean=False)
    if metric_texts is not None:
        _metric_texts_save(pack, metric_texts)
    if risks is not None:
        _risks_save(pack, risks)
    return pack


def _risks_save(pack: Pack, risks: Sequence[RiskText]) -> None:
    wanted = [
        (item.risk.strip(), item.mitigation.strip(), item.scheme)
        for item in risks
        if item.risk.strip() or item.mitigation.strip()
    ]
    problems = []
    for index, (risk, mitigation, scheme) in enumerate(wanted, start=1):
        if not risk:
            problems.append(f"Risk {index}: say what the risk is, not only its mitigation.")
        if len(risk) > RISK_TEXT_LENGTH or len(mitigation) > RISK_TEXT_LENGTH:
            problems.append(f"Risk {index}: keep the risk and its mitigation to "
                            f"{RISK_TEXT_LENGTH} characters each.")
        if scheme is not None and scheme.area_id != pack.area_id:
            problems.append(f"Risk {index}: the scheme is not one of {pack.area.name}'s.")
    if problems:
        raise ValidationError(problems)
    held = list(PackRisk.objects.filter(pack=pack).order_by("position"))
    if [(item.risk, item.mitigation, item.scheme_id) for item in held] == [
        (risk, mitigation, scheme.pk if scheme else None) for risk, mitigation, scheme in wanted
    ]:
        return  # only real changes: each save is an entry in the history
    PackRisk.objects.filter(pack=pack).delete()
    for position, (risk, mitigation, scheme) in enumerate(wanted):
        PackRisk.objects.create(
            pack=pack, position=position, risk=risk, mitigation=mitigation, scheme=scheme
        )


def _metric_texts_save(pack: Pack, texts: Mapping[int, MetricText]) -> None:
    metrics = Metric.objects.in_bulk(list(texts))
    strangers = set(texts) - set(metrics)
    if strangers:
        raise ValidationError("Commentary can only be written about metrics of the catalogue.")
    too_long = [
        metrics[metric_id].name
        for metric_id, text in texts.items()
        if len(text.commentary.strip()) > METRIC_COMMENTARY_LENGTH
    ]
    if too_long:
        raise ValidationError(
            f"Keep the commentary of the performance table to {METRIC_COMMENTARY_LENGTH} "
            f"characters: {', '.join(too_long)}."
        )
    existing = {item.metric_id: item for item in PackMetric.objects.filter(pack=pack)}
    for metric_id, text in texts.items():
        wanted = {
            "commentary": text.commentary.strip(),
            "headline": bool(text.headline),
            "headline_text": text.headline_text.strip(),
            "show_spc": bool(text.show_spc),
        }
        item = existing.get(metric_id)
        if item is None:
            if wanted == asdict(MetricText()):
                continue  # nothing said about it: no record needed
            item = PackMetric(pack=pack, metric=metrics[metric_id])
        model_update(instance=item, data=wanted)


@transaction.atomic
def pack_build_save(
    *, pack: Pack, user, public: bool, file_name: str, result: PdfResult
) -> PackBuild:
    """Keep a draft PDF for its builder to download; builds older than a day are dropped."""
    require(
        permissions.may_see_full_packs(user, pack.area),
        "You can download the published versions only.",
    )
    PackBuild.objects.filter(created__lt=timezone.now() - BUILDS_KEPT_FOR).delete()
    return PackBuild.objects.create(
        pack=pack,
        created_by=user,
        public=public,
        file_name=file_name,
        pdf=result.pdf,
        sha256=result.sha256,
        pages=result.pages,
    )


def pack_build_enqueue(*, pack: Pack, output: str, user) -> Job:
    """Ask for a draft PDF (`output`: full or public) of the pack, built in the background
    (reports.jobs.pack_build). While one is waiting or running, asking again joins it."""
    from .jobs import pack_build

    require(
        permissions.may_see_full_packs(user, pack.area),
        "You can download the published versions only.",
    )
    if output not in ("full", "public"):  # reports.assembly's FULL and PUBLIC
        raise ValidationError(f"A draft is the full or the public version, not {output!r}.")
    _check_draft(pack)
    name = f"{output} version"
    return enqueue(
        pack_build,
        description=f"Draft PDF of the {pack.board} {pack.quarter.short_label} pack ({name})",
        key=pack_job_key(pack, f"draft-{output}"),
        area=pack.area,
        user=user,
        pack_id=pack.pk,
        output=output,
        user_id=user.pk,
    )


def pack_finalise_enqueue(
    *, pack: Pack, number: int, user, lacking: Sequence[str] = (), reason: str = ""
) -> Job:
    """Ask for the pack to be made Final as version `number` (the number the secretary was
    shown), in the background (reports.jobs.pack_finalise); one such job at a time.

    `lacking` is what the check before Final showed the secretary and `reason` why she went on:
    the job stores them with the version exactly as she confirmed them (the job may run minutes
    later, when the check could say something else). Refused here already, not only in the
    job, when something is lacking and no reason is given."""
    from .jobs import pack_finalise

    require(
        permissions.may_finalise_packs(user, pack.area),
        "Only board secretaries can make a pack Final.",
    )
    _check_draft(pack)
    _check_reason(lacking, reason)
    return enqueue(
        pack_finalise,
        description=f"Making version {number} of the {pack.board} {pack.quarter.short_label} "
        "pack Final",
        key=pack_job_key(pack, "final"),
        area=pack.area,
        user=user,
        pack_id=pack.pk,
        number=number,
        user_id=user.pk,
        lacking=list(lacking),
        reason=reason,
    )


def _check_reason(lacking: Sequence[str], reason: str) -> None:
    if lacking and not reason.strip():
        raise ValidationError(
            "The pack lacks something (listed on the page): give your reason for making it "
            "Final all the same."
        )


@transaction.atomic
def pack_version_create(
    *,
    pack: Pack,
    user,
    full: PdfResult,
    public: PdfResult,
    figures_json: bytes,
    number: int,
    lacking: Sequence[str] = (),
    reason: str = "",
) -> PackVersion:
    """Make the pack Final: store version `number` (the number the PDFs were built with) with
    its checksums, and what the check before Final found lacking with the secretary's reason
    for going on (kept with the version, never printed in it). Refused if the pack is no
    longer a Draft, the number has been taken meanwhile (someone else made it Final first), or
    something is lacking and no reason is given."""
    require(
        permissions.may_finalise_packs(user, pack.area),
        "Only board secretaries can make a pack Final.",
    )
    _check_reason(lacking, reason)
    pack = Pack.objects.select_for_update().get(pk=pack.pk)
    _check_draft(pack)
    expected = pack_next_version_number(pack=pack)
    if number != expected:
        raise ValidationError(
            f"Version {number} was built, but the next version is {expected}: build it again."
        )
    version = PackVersion(
        pack=pack,
        number=number,
        created_by=user,
        full_pdf=full.pdf,
        full_sha256=full.sha256,
        full_pages=full.pages,
        public_pdf=public.pdf,
        public_sha256=public.sha256,
        public_pages=public.pages,
        figures_json=figures_json,
        figures_sha256=hashlib.sha256(figures_json).hexdigest(),
        lacking=list(lacking),
        final_reason=reason.strip(),
    )
    version.full_clean()
    version.save()
    model_update(instance=pack, data={"status": Pack.Status.FINAL}, clean=False)
    pack_final_notify(pack=pack, version=version, actor=user)  # sent once this commits
    return version


@transaction.atomic
def pack_correction_start(*, pack: Pack, user=None) -> Pack:
    """Reopen a Final pack as a Draft for a correction. Its versions stay as they are; making
    it Final again stores the next version."""
    require(
        user is None or permissions.may_finalise_packs(user, pack.area),
        "Only board secretaries can correct a pack.",
    )
    pack = Pack.objects.select_for_update().get(pk=pack.pk)
    if pack.status != Pack.Status.FINAL:
        raise ValidationError("Only a Final pack can be corrected; this one is still a Draft.")
    pack, _ = model_update(instance=pack, data={"status": Pack.Status.DRAFT}, clean=False)
    return pack


@dataclass(frozen=True)
class RatingEntry:
    """One scheme's rating as an analyst gives it: an empty `rag` removes the rating."""

    scheme: Scheme
    rag: str
    narrative: str = ""


@transaction.atomic
def portfolio_ratings_save(
    *,
    area: Area,
    quarter: Quarter,
    entries: Iterable[RatingEntry],
    user,
    at: dt.datetime | None = None,
) -> list[PortfolioRating]:
    """Set the quarter's portfolio ratings of the area's schemes, all or nothing. A scheme
    rated Amber or Red needs a narrative saying why. `at` dates the changes (records brought
    in from before, like the demo's); by default, now."""
    require(
        user is None or permissions.may_rate_schemes(user, area),
        "Only analysts can set portfolio ratings.",
    )
    entries = list(entries)
    errors = []
    for entry in entries:
        if entry.scheme.area_id != area.pk:
            errors.append(f"Scheme {entry.scheme.number} is not a scheme of {area.name}.")
        if entry.rag and entry.rag not in RAG_VALUES:
            errors.append(f"Scheme {entry.scheme.number}: {entry.rag!r} is not a RAG rating.")
        problem = narrative_problem(entry.rag, entry.narrative)
        if problem:
            errors.append(f"Scheme {entry.scheme.number}: {problem}.")
    if errors:
        raise ValidationError(errors)
    saved = []
    for entry in entries:
        if not entry.rag:
            PortfolioRating.objects.filter(scheme=entry.scheme, quarter=quarter).delete()
            continue
        rating = PortfolioRating.objects.filter(scheme=entry.scheme, quarter=quarter).first()
        rating = rating or PortfolioRating(scheme=entry.scheme, quarter=quarter)
        rating, written = model_update(
            instance=rating,
            data={"rag": entry.rag, "narrative": entry.narrative.strip()},
            stamp={"updated_by": user},
        )
        if written and at is not None:  # `updated` is set on every save: dated afterwards
            PortfolioRating.objects.filter(pk=rating.pk).update(updated=at)
            rating.updated = at
        saved.append(rating)
    return saved


CHART_DRAWINGS_KEPT_FOR = dt.timedelta(days=30)  # a drawing unused this long is removed


def chart_drawings_mark_used(*, keys: list[str]) -> None:
    """A build used these kept drawings: they are kept `CHART_DRAWINGS_KEPT_FOR` from now."""
    if keys:
        ChartDrawing.objects.filter(key__in=keys).update(used=timezone.now())


def chart_drawings_keep(*, drawings: Mapping[str, str]) -> None:
    """Keep new drawings (key -> SVG) for later builds, and remove those unused for
    `CHART_DRAWINGS_KEPT_FOR`. Another build may have kept the same figure meanwhile: that
    one stands."""
    if not drawings:
        return
    now = timezone.now()
    ChartDrawing.objects.filter(used__lt=now - CHART_DRAWINGS_KEPT_FOR).delete()
    ChartDrawing.objects.bulk_create(
        [ChartDrawing(key=key, svg=svg, created=now, used=now) for key, svg in drawings.items()],
        ignore_conflicts=True,
    )


@dataclass(frozen=True)
class ConditionEntry:
    """An analyst's record of one national condition: its compliance and a note."""

    code: str
    compliance: str
    note: str = ""


@transaction.atomic
def national_conditions_save(
    *, area: Area, year: FinancialYear, entries: Iterable[ConditionEntry], user
) -> list[NationalCondition]:
    """Record the area's compliance with the national conditions in force in `year`, all or
    nothing. A condition not in force that year, or an unknown compliance, is refused; a
    condition found not compliant needs a note saying what is being done."""
    require(
        user is None or permissions.may_record_national_conditions(user, area),
        "Only analysts can record the national conditions.",
    )
    in_force = {condition.code: condition for condition in conditions_in_force(year)}
    entries = list(entries)
    problems = []
    for entry in entries:
        if entry.code not in in_force:
            problems.append(f"“{entry.code}” is not a national condition of {year.label}.")
        if entry.compliance not in NationalCondition.Compliance.values:
            problems.append(f"“{entry.compliance}” is not a compliance.")
        elif entry.compliance == NationalCondition.Compliance.NOT_COMPLIANT and not (
            entry.note.strip()
        ):
            number = in_force[entry.code].number if entry.code in in_force else "?"
            problems.append(
                f"Condition {number} is not compliant: say in its note what is being done."
            )
        if len(entry.note) > 2000:
            problems.append("Keep each note to 2,000 characters.")
    if problems:
        raise ValidationError(problems)
    held = {
        item.code: item for item in NationalCondition.objects.filter(area=area, financial_year=year)
    }
    saved = []
    for entry in entries:
        condition = in_force[entry.code]
        item = held.get(entry.code) or NationalCondition(
            area=area, financial_year=year, code=condition.code
        )
        item, _ = model_update(
            instance=item,
            data={
                "number": condition.number,
                "text": item.text or condition.text,
                "compliance": entry.compliance,
                "note": entry.note.strip(),
            },
            stamp={"updated_by": user},
        )
        saved.append(item)
    return saved


# --- The quarterly return to NHS England ------------------------------------------------------


@dataclass(frozen=True)
class ReturnMetricEntry:
    """What the analyst writes about one national metric in the quarter's return: the
    assessment of progress chosen (the one worked out from the rating, or another with a
    reason) and the quarter's texts."""

    code: str
    assessment: str
    reason: str = ""
    challenges: str = ""
    achievements: str = ""
    support_needs: str = ""


@transaction.atomic
def quarterly_return_save(
    *,
    area: Area,
    quarter: Quarter,
    entries: Iterable[ReturnMetricEntry],
    contact_phone: str = "",
    user,
) -> QuarterlyReturn:
    """Save the analyst's part of the area's return for `quarter`, all or nothing. Each metric
    must be a national metric the return reports; an assessment other than the one worked out
    from the metric's rating (read now, as the workbook will read it) needs a reason. An
    assessment equal to the worked-out one is stored as none, so that it follows the rating if
    the figures change."""
    require(
        user is None or permissions.may_write_returns(user, area),
        "Only analysts can complete the quarterly return.",
    )
    worked_out = {
        row.metric.code: row for row in quarterly_return(area=area, quarter=quarter).metrics
    }
    entries = list(entries)
    problems = []
    if len(contact_phone) > 40:
        problems.append("Keep the telephone number to 40 characters.")
    seen = set()
    for entry in entries:
        row = worked_out.get(entry.code)
        if row is None or entry.code in seen:
            problems.append(
                f"“{entry.code}” is not a national metric of the return for {quarter.label}."
            )
            continue
        seen.add(entry.code)
        if entry.assessment not in ASSESSMENT_VALUES:
            problems.append(f"{row.metric.name}: “{entry.assessment}” is not an assessment.")
            continue
        problem = override_problem(
            worked_out=row.worked_out, chosen=Assessment(entry.assessment), reason=entry.reason
        )
        if problem:
            problems.append(f"{row.metric.name}: {problem}.")
        for text in (entry.reason, entry.challenges, entry.achievements, entry.support_needs):
            if len(text) > RETURN_TEXT_LENGTH:
                problems.append(
                    f"{row.metric.name}: keep each text to {RETURN_TEXT_LENGTH:,} characters."
                )
                break
    if problems:
        raise ValidationError(problems)
    # Locked, so that two analysts saving at once write one after the other (the second's
    # whole save wins, never half of each); the first save of a quarter creates it.
    record, _ = QuarterlyReturn.objects.select_for_update().get_or_create(
        area=area, quarter=quarter
    )
    record.contact_phone = contact_phone.strip()
    record.updated = timezone.now()
    record.updated_by = user
    record.save()
    held = {item.metric_id: item for item in record.metrics.all()}
    for entry in entries:
        row = worked_out[entry.code]
        chosen = Assessment(entry.assessment)
        changed = chosen != row.worked_out
        item = held.get(row.metric.pk) or ReturnMetric(quarterly_return=record, metric=row.metric)
        model_update(
            instance=item,
            data={
                "assessment": chosen.value if changed else "",
                "reason": entry.reason.strip() if changed else "",
                "challenges": entry.challenges.strip(),
                "achievements": entry.achievements.strip(),
                "support_needs": entry.support_needs.strip(),
            },
            user=user,
        )
    return record
