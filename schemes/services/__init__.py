"""Every write to schemes' quarterly highlight reports, by topic:

    content.py      starting a report and saving what its lead writes (text and tables)
    funding.py      filling its Overall Financial Performance from finance's figures
    steps.py        the workflow's steps: submit, withdraw, return, accept, the boards' dates
    corrections.py  a new revision of a signed-off report
    timetable.py    each quarter's reporting timetable (when reports are due, the boards meet)
    notices.py      the e-mails of the steps, and the reminders to leads against the timetable
    paper.py        entering a report signed off on paper before the service was used
    errors.py       the ways a write is refused

They are gathered here, so callers write `from schemes import services` and
`services.highlight_report_submit(...)`.
"""

from .content import (
    LEAD_FIELDS,
    ROW_MODELS,
    ReportContent,
    highlight_report_save,
    highlight_report_start,
)
from .corrections import highlight_report_correction_start
from .errors import BoardDatesRefused, ReportError, ReportIncomplete, ReportStale
from .funding import highlight_report_finance_prefill, highlight_report_financial_lines_set
from .notices import reminders_daily, reminders_send, reminders_send_now
from .paper import highlight_report_record_paper
from .steps import (
    BOARD_DATE_FIELDS,
    highlight_report_accept,
    highlight_report_board_dates_record,
    highlight_report_return,
    highlight_report_submit,
    highlight_report_withdraw,
)
from .timetable import reporting_timetable_save

__all__ = [
    "BOARD_DATE_FIELDS",
    "LEAD_FIELDS",
    "ROW_MODELS",
    "BoardDatesRefused",
    "ReportContent",
    "ReportError",
    "ReportIncomplete",
    "ReportStale",
    "highlight_report_accept",
    "highlight_report_board_dates_record",
    "highlight_report_correction_start",
    "highlight_report_finance_prefill",
    "highlight_report_financial_lines_set",
    "highlight_report_record_paper",
    "highlight_report_return",
    "highlight_report_save",
    "highlight_report_start",
    "highlight_report_submit",
    "highlight_report_withdraw",
    "reminders_daily",
    "reminders_send",
    "reminders_send_now",
    "reporting_timetable_save",
]
