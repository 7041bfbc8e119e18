from django.utils.text import slugify

from .models import Claimant


def claimant_slug(name: str) -> str:
    """A slug from the name that no claimant uses yet ("mario-rossi", then "mario-rossi-2")."""
    base = slugify(name)[:80].strip("-") or "claimant"
    taken = set(Claimant.objects.filter(slug__startswith=base).values_list("slug", flat=True))
    if base not in taken:
        return base
    n = 2
    while f"{base}-{n}" in taken:
        n += 1
    return f"{base}-{n}"
