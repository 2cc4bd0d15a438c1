"""The filter forms' quick widgets draw exactly what Django's own widgets draw, escaping included."""

import re

import pytest
from django import forms

from tipims.justice.forms import CaseFilterForm, ComplaintFilterForm
from tipims.justice.widgets import QuickSelect

pytestmark = pytest.mark.django_db


def _tidy(html: str) -> str:
    return re.sub(r">\s+<", "><", str(html).strip())


def _as_django_draws_it(field: forms.Field, name: str, value) -> str:
    plain = {
        "QuickSelect": forms.Select,
        "QuickTextInput": forms.TextInput,
        "QuickNumberInput": forms.NumberInput,
        "QuickDateInput": forms.DateInput,
        "QuickCheckboxInput": forms.CheckboxInput,
    }[type(field.widget).__name__]
    twin = plain(attrs=field.widget.attrs)
    if isinstance(field.widget, forms.Select):
        twin.choices = field.widget.choices
    if hasattr(field.widget, "input_type"):
        twin.input_type = field.widget.input_type
    if hasattr(field.widget, "format"):
        twin.format = field.widget.format
    return twin.render(name, value, attrs={"id": f"id_{name}"})


@pytest.mark.parametrize("form_class", [CaseFilterForm, ComplaintFilterForm])
def test_every_filter_field_draws_like_djangos_widget_blank_and_filled(form_class):
    filled = {
        "number": '9023-03"><script>',
        "phase": "trial",
        "department": "5",
        "year": "2015",
        "overdue": "on",
        "status": "open",
        "received_from": "2004-02-01",
        "reference": "D-<b>",
    }
    for data in (None, filled):
        form = form_class(data)
        for name, field in form.fields.items():
            value = form[name].value()
            quick = field.widget.render(name, value, attrs={"id": f"id_{name}"})
            assert _tidy(quick) == _tidy(_as_django_draws_it(field, name, value)), name
    assert "<script>" not in str(CaseFilterForm(filled)["number"])


def test_option_groups_and_labels_are_escaped_like_django():
    choices = [("", "any"), ("Group <1>", [("a", "A & B"), ("b", '"quoted"')])]
    quick = QuickSelect(choices=choices).render("x", "b", attrs={"id": "id_x"})
    plain = forms.Select(choices=choices).render("x", "b", attrs={"id": "id_x"})
    assert _tidy(quick) == _tidy(plain)
