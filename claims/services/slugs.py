from django.db import models
from django.utils.text import slugify


def unique_slug(model: type[models.Model], text: str, *, max_length: int = 80) -> str:
    """A slug from `text` that no row of `model` uses yet ("x", then "x-2", "x-3"...)."""
    base = slugify(text, allow_unicode=False)[:max_length].strip("-") or "item"
    taken = set(model.objects.filter(slug__startswith=base).values_list("slug", flat=True))
    if base not in taken:
        return base
    n = 2
    while f"{base}-{n}" in taken:
        n += 1
    return f"{base}-{n}"
