from django.urls import path, register_converter

from bettercare.periods import PeriodError, Quarter, parse_quarter

from . import views


class QuarterConverter:
    """A quarter in its canonical form, 2018-19-Q1, as a Quarter."""

    regex = r"\d{4}-\d{2}-Q[1-4]"

    def to_python(self, value: str) -> Quarter:
        try:
            return parse_quarter(value)
        except PeriodError as error:  # e.g. 2018-20-Q1: not found, not a server error
            raise ValueError(str(error)) from error

    def to_url(self, value: Quarter | str) -> str:
        return str(value)


# Named for this app so that another app registering its own "quarter" cannot clash.
register_converter(QuarterConverter, "schemes_quarter")

app_name = "schemes"
report = "<int:number>/<schemes_quarter:quarter>/"
urlpatterns = [
    path("", views.index, name="index"),
    path("overview/", views.overview, name="overview"),
    path("overview/remind/", views.reminders_now, name="reminders_now"),
    path("timetable/", views.timetable_list, name="timetable"),
    path("timetable/<schemes_quarter:quarter>/", views.timetable_edit, name="timetable_edit"),
    path(report, views.report_detail, name="report"),
    path(f"{report}start/", views.report_start, name="report_start"),
    path(f"{report}edit/", views.report_edit, name="report_edit"),
    path(f"{report}autosave/", views.report_autosave, name="report_autosave"),
    path(f"{report}totals/", views.report_totals, name="report_totals"),
    path(f"{report}check/", views.report_check, name="report_check"),
    path(f"{report}submit/", views.report_submit, name="report_submit"),
    path(f"{report}withdraw/", views.report_withdraw, name="report_withdraw"),
    path(f"{report}finance-fill/", views.report_finance_fill, name="report_finance_fill"),
    path(f"{report}return/", views.report_return, name="report_return"),
    path(f"{report}accept/", views.report_accept, name="report_accept"),
    path(f"{report}board-dates/", views.report_board_dates, name="report_board_dates"),
    path(f"{report}correction/", views.report_correction, name="report_correction"),
    path(f"{report}history/", views.report_history, name="report_history"),
    path(f"{report}compare/", views.report_compare, name="report_compare"),
    path(f"{report}revisions/<int:revision>/", views.report_revision, name="report_revision"),
]
