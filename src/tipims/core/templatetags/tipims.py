from django import template

from tipims.core import countries, vocabularies

register = template.Library()


@register.filter
def vocab(code: str, name: str) -> str:
    """{{ person.sex|vocab:"prs_Gender" }}: the label of a code in the active language."""
    return vocabularies.label(name, code)


@register.filter
def country(code: str) -> str:
    return countries.name(code)


@register.filter
def countries_list(codes) -> str:
    return ", ".join(countries.name(code) for code in codes or [])
