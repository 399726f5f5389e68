"""`{{ text|bidi_contained }}`: for plain-text places where no <bdi> can isolate editors'
text (the <title>), close the RTL overrides and other bidi controls it leaves open."""

from django import template

from common.bidi import contain_bidi

register = template.Library()


@register.filter
def bidi_contained(value) -> str:
    return contain_bidi(str(value))
