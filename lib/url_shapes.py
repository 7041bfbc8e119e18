"""reverse() for the links reader pages print by the dozen, at the cost of a string replace.

Django's reverse() tries every pattern of a name against its arguments, about 10 µs a call,
and a claim page prints some twenty links (each source, its outlet, the claim's own). A named
URL's shape depends only on the URLconf, the script prefix and the language (i18n_patterns),
so each shape is reversed once, with markers where the arguments go, and afterwards only
filled in. An argument that Django would have to quote or check against an unusual converter
goes through Django's reverse() as before.
"""

import re

from django.conf import settings
from django.urls import get_script_prefix
from django.urls import reverse as django_reverse
from django.utils.translation import get_language, override

# Letters, digits, "-", "_" and ".": what the int, slug and str converters accept and what
# needs no quoting, so the filled-in shape is what Django's reverse() would return.
_PLAIN = re.compile(r"[-a-zA-Z0-9_.]+")
_shapes: dict[tuple, str] = {}  # key: see reverse()


# Digits only, so every converter accepts them; long enough never to occur in a real path.
_MARKERS = [f"9021{i:02d}0977" for i in range(8)]


def reverse(viewname: str, *args, **kwargs) -> str:
    """django.urls.reverse(viewname, args=args, kwargs=kwargs), from a shape reversed once.

    Shapes follow the language, the script prefix and settings.ROOT_URLCONF. A per-request
    URLconf (request.urlconf) is not looked at: Factdesk sets none, and reading it on every
    call cost as much again as the rest.
    """
    return reverse_in(get_language(), viewname, *args, **kwargs)


def reverse_in(language: str, viewname: str, *args, **kwargs) -> str:
    """reverse() in `language` (with translation.override(language) for Django's)."""
    values = (*args, *kwargs.values())
    if len(values) > len(_MARKERS):
        return _django_reverse_in(language, viewname, args, kwargs)
    for value in values:
        if not (type(value) is int or _PLAIN.fullmatch(str(value))):
            return _django_reverse_in(language, viewname, args, kwargs)
    key = (viewname, language, get_script_prefix(), settings.ROOT_URLCONF, len(args))
    if kwargs:
        key += tuple(kwargs)
    shape = _shapes.get(key)
    if shape is None:
        with override(language):
            shape = _shapes[key] = _shape(viewname, len(args), tuple(kwargs))
    return shape.format(*values)


def _django_reverse_in(language: str, viewname: str, args: tuple, kwargs: dict) -> str:
    with override(language):
        return django_reverse(viewname, args=args or None, kwargs=kwargs or None)


def _shape(viewname: str, arg_count: int, kwarg_names: tuple) -> str:
    """The URL as a str.format() template: "/en/claims/{0}/"."""
    markers = iter(_MARKERS)
    url = django_reverse(
        viewname,
        args=[next(markers) for _ in range(arg_count)] or None,
        kwargs={name: next(markers) for name in kwarg_names} or None,
    )
    shape = url.replace("{", "{{").replace("}", "}}")
    for index, marker in enumerate(_MARKERS[: arg_count + len(kwarg_names)]):
        shape = shape.replace(marker, f"{{{index}}}")
    return shape
