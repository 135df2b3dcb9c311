"""The NHS.UK date input (day, month, year) and its error messages, and the checkbox groups'
classes."""

import datetime as dt

import pytest
from django import forms

from bettercare.date_input import NhsukDateField


class MeetingForm(forms.Form):
    meeting = NhsukDateField(label="Date of meeting", error_label="The date of the meeting")


@pytest.mark.parametrize(
    ("day", "month", "year", "date", "error", "boxes"),
    [
        ("15", "11", "2018", dt.date(2018, 11, 15), "", set()),
        ("05", "07", "2018", dt.date(2018, 7, 5), "", set()),
        ("", "", "", None, "Enter the date of the meeting", set()),
        ("15", "", "2018", None, "The date of the meeting must include a month", {"month"}),
        ("", "", "2018", None, "must include a day and month", {"day", "month"}),
        ("31", "2", "2018", None, "The date of the meeting must be a real date", {"day"}),
        ("15", "13", "2018", None, "must be a real date", {"month"}),
        ("15", "Nov", "2018", None, "must be a real date", {"month"}),
        ("15", "11", "18", None, "Year must include 4 numbers", {"year"}),
    ],
)
def test_day_month_year_boxes(day, month, year, date, error, boxes):
    form = MeetingForm({"meeting_day": day, "meeting_month": month, "meeting_year": year})
    assert form.is_valid() == (not error)
    if error:
        assert error in form.errors["meeting"][0]
        html = str(form["meeting"])
        for part in ("day", "month", "year"):
            box = html[
                html.index(f'id="id_meeting_{part}"') - 120 : html.index(f'id="id_meeting_{part}"')
            ]
            assert ("nhsuk-input--error" in box) == (part in boxes or (not boxes and bool(error)))
        assert f'value="{month}"' in html  # what was typed stays in its box
    else:
        assert form.cleaned_data["meeting"] == date


def test_a_single_value_as_programs_post_it_is_read_too():
    assert MeetingForm({"meeting": "2018-11-15"}).is_valid()
    assert MeetingForm({"meeting": "15/11/2018"}).is_valid()
    assert not MeetingForm({"meeting": "November"}).is_valid()


def test_the_markup_is_the_design_systems():
    html = MeetingForm(initial={"meeting": dt.date(2018, 11, 15)}).as_div()
    assert (
        '<legend class="nhsuk-fieldset__legend nhsuk-fieldset__legend--s">Date of meeting' in html
    )
    assert 'class="nhsuk-date-input"' in html
    assert 'inputmode="numeric" value="15"' in html and 'value="2018"' in html
    assert 'type="date"' not in html


def test_checkbox_groups_carry_the_checkbox_classes_not_the_radio_ones():
    class AimsForm(forms.Form):
        aims = forms.MultipleChoiceField(
            choices=[("a", "A"), ("b", "B")], widget=forms.CheckboxSelectMultiple
        )

    html = AimsForm().as_div()
    assert html.count('class="nhsuk-checkboxes__input"') == 2
    assert "nhsuk-radios__input" not in html


def test_a_form_carried_in_hidden_inputs_posts_the_date_back_whole():
    typed = MeetingForm({"meeting_day": "15", "meeting_month": "11", "meeting_year": "2018"})
    hidden = typed["meeting"].as_hidden()
    value = hidden.split('value="')[1].split('"')[0]
    again = MeetingForm({"meeting": value})
    assert again.is_valid() and again.cleaned_data["meeting"] == dt.date(2018, 11, 15)
    wrong = MeetingForm({"meeting_day": "31", "meeting_month": "2", "meeting_year": "2018"})
    assert not wrong.is_valid()
    assert 'value="31"' in str(wrong["meeting"])  # the boxes show what was typed
    value = wrong["meeting"].as_hidden().split('value="')[1].split('"')[0]
    assert not MeetingForm({"meeting": value}).is_valid()
