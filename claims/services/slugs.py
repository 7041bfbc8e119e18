from django.db import IntegrityError, models, transaction
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


def save_with_unique_slug(instance: models.Model, text: str, *, attempts: int = 3) -> None:
    """Save a new `instance` under a slug from `text` that no row uses. Two saves of the same
    text at once (two editors making a claim of the same tip) both see the slug free: the
    loser's insert fails on the unique index, and it takes the next free slug instead of a
    500. The savepoint keeps the caller's transaction usable."""
    model = type(instance)
    for attempt in range(attempts):
        try:
            with transaction.atomic():
                instance.save()
            return
        except IntegrityError:
            taken = model.objects.filter(slug=instance.slug).exists()
            if attempt == attempts - 1 or not taken:
                raise  # another constraint, or a slug race lost again and again
            instance.slug = unique_slug(model, text)
