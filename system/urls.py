from django.urls import path, register_converter

from bettercare.periods import PeriodError, Quarter, parse_quarter

from . import views


class QuarterConverter:
    """A quarter in its canonical form, 2018-19-Q2, as a Quarter."""

    regex = r"\d{4}-\d{2}-Q[1-4]"

    def to_python(self, value: str) -> Quarter:
        try:
            return parse_quarter(value)
        except PeriodError as error:  # e.g. 2018-20-Q1: not found, not a server error
            raise ValueError(str(error)) from error

    def to_url(self, value: Quarter | str) -> str:
        return str(value)


register_converter(QuarterConverter, "system_quarter")

app_name = "system"
urlpatterns = [
    path("", views.index, name="index"),
    path("<system_quarter:quarter>/", views.quarter_view, name="quarter"),
]
