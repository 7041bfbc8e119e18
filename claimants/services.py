"""Every write to claimants. The admin, the API, the importers and commands all call these."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models.functions import Lower
from django.utils.translation import gettext as _
from simple_history.utils import update_change_reason

from lib.text import strip_bidi_controls

from .models import Claimant, ClaimantKind, ClaimantRole, name_key
from .slugs import claimant_slug


def claimant_find(*, name: str = "", same_as: str = "") -> Claimant | None:
    """The current claimant with this identifier, else with this name or alias (any case).

    A merged duplicate leads to the record it was merged into. Two queries at most.
    """
    if same_as:
        found = Claimant.objects.filter(same_as=same_as).first()
        if found is not None:
            return _survivor(found)
    key = name_key(name)
    if not key:
        return None
    # The name is indexed in lower case; aliases are few words a record, scanned only when
    # the name does not match.
    found = Claimant.objects.annotate(lower_name=Lower("name")).filter(lower_name=key).first()
    if found is None:
        for candidate in Claimant.objects.filter(aliases__icontains=key.split()[0]):
            if key in candidate.name_keys():
                found = candidate
                break
    return _survivor(found) if found else None


def _survivor(claimant: Claimant) -> Claimant:
    seen = set()
    while claimant.merged_into_id and claimant.pk not in seen:
        seen.add(claimant.pk)
        claimant = claimant.merged_into
    return claimant


@transaction.atomic
def claimant_create(
    *,
    name: str,
    kind: str = ClaimantKind.PERSON,
    same_as: str = "",
    aliases: str = "",
    description: str = "",
    actor=None,
) -> Claimant:
    claimant = Claimant(
        name=name,
        kind=kind,
        same_as=same_as,
        aliases=aliases,
        description=description,
        slug=claimant_slug(name),
    )
    claimant.full_clean()
    claimant._history_user = actor
    claimant.save()
    return claimant


@transaction.atomic
def claimant_get_or_create(
    *, name: str, kind: str = ClaimantKind.PERSON, same_as: str = "", actor=None
) -> tuple[Claimant, bool]:
    """The claimant an importer means by this name (or identifier), created if new.

    An existing record found by name gains the identifier when it had none, so a later
    import that names them differently still finds them.
    """
    name = strip_bidi_controls(name or "").strip()[:200]
    found = claimant_find(name=name, same_as=same_as)
    if found is not None:
        if same_as and not found.same_as:
            found.same_as = same_as
            found._history_user = actor
            found.save(update_fields=["same_as", "updated_at"])
        return found, False
    if not name:
        raise ValidationError({"name": _("A claimant needs a name.")})
    return claimant_create(name=name, kind=kind, same_as=same_as, actor=actor), True


@transaction.atomic
def claimant_role_add(
    *, claimant: Claimant, role: str = "", party: str = "", started_on=None, ended_on=None
) -> ClaimantRole:
    """Record a role, unless the claimant already holds the same one for the same dates."""
    existing = ClaimantRole.objects.filter(
        claimant=claimant, role=role, party=party, started_on=started_on, ended_on=ended_on
    ).first()
    if existing:
        return existing
    role_row = ClaimantRole(
        claimant=claimant, role=role, party=party, started_on=started_on, ended_on=ended_on
    )
    role_row.full_clean()
    role_row.save()
    return role_row


@transaction.atomic
def claimant_merge(*, keep: Claimant, duplicate: Claimant, actor=None) -> Claimant:
    """Fold `duplicate` into `keep`: its claims, attributions and roles move over, its name and
    aliases become aliases of `keep`, and `keep` takes its identifier when it has none.

    The duplicate is not deleted: it stays, marked as merged, so its page and API address
    lead to `keep` and both records' history tell what happened (simple-history, with a
    reason). Every row that points at a claimant is moved, whichever app holds it.
    """
    keep, duplicate = (
        Claimant.objects.select_for_update().get(pk=keep.pk),
        Claimant.objects.select_for_update().get(pk=duplicate.pk),
    )
    if keep.pk == duplicate.pk:
        raise ValidationError(_("Choose two different claimants to merge."))
    if keep.merged_into_id or duplicate.merged_into_id:
        raise ValidationError(_("A claimant that was already merged cannot be merged again."))
    # Rows of other apps (claims, attributions) point here; moving them through the relation
    # metadata keeps this app free of imports from the apps that build on it.
    for relation in Claimant._meta.related_objects:
        if relation.many_to_many or relation.remote_field.name == "merged_into":
            continue
        relation.related_model._base_manager.filter(**{relation.field.name: duplicate}).update(
            **{relation.field.name: keep}
        )
    names = [*keep.alias_list(), duplicate.name, *duplicate.alias_list()]
    known = {name_key(keep.name)}
    aliases = []
    for alias in names:
        if name_key(alias) not in known:
            known.add(name_key(alias))
            aliases.append(alias)
    keep.aliases = "\n".join(aliases)
    same_as = duplicate.same_as
    if same_as and not keep.same_as:
        # The identifier is unique: free it on the duplicate first.
        duplicate.same_as = ""
    duplicate.merged_into = keep
    duplicate._history_user = actor
    duplicate.save()
    update_change_reason(duplicate, f"Merged into #{keep.pk} {keep.name}")
    if same_as and not keep.same_as:
        keep.same_as = same_as
    keep.description = keep.description or duplicate.description
    keep._history_user = actor
    keep.save()
    update_change_reason(keep, f"Merged #{duplicate.pk} {duplicate.name} into this record")
    return keep


CLAIMANT_FIELDS = {"name", "kind", "same_as", "aliases", "description"}


@transaction.atomic
def claimant_update(*, claimant: Claimant, actor=None, **changes) -> Claimant:
    """Edit a claimant's own fields (not its slug: published links keep working)."""
    unknown = set(changes) - CLAIMANT_FIELDS
    if unknown:
        raise ValueError(f"claimant_update cannot change {sorted(unknown)}")
    for field, value in changes.items():
        setattr(claimant, field, value)
    claimant.full_clean()
    claimant._history_user = actor
    claimant.save()
    return claimant
