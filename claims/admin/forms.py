"""The claim forms of the admin. They check what the services will check, under the row lock,
so a refused save comes back as form errors with everything the person typed still there."""

from itertools import pairwise

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..anchoring import anchor_quote
from ..exceptions import TransitionNotAllowed
from ..models import Claim, VerdictRating
from ..permissions import check_assign, check_may_assign_to
from ..services.claims import EDITABLE_FIELDS, check_editable, claim_lock


def desk_members():
    """Everyone who may be given a claim: one query, for a desk of 5 to 50 people."""
    return (
        get_user_model()
        .objects.with_perm("claims.change_claim")
        .filter(is_active=True, is_staff=True)
        .order_by("first_name", "last_name", "username")
    )


# Fields claim_update changes (in the model's order); the rest of the change form is read-only.
UPDATABLE = [field.name for field in Claim._meta.get_fields() if field.name in EDITABLE_FIELDS]


def person(user) -> str:
    if user is None:
        return _("the system")
    return user.get_full_name() or user.get_username()


def changes_since(claim: Claim, version: int) -> list[tuple[str, str, list[str]]]:
    """(who, when, [field labels]) for each save after `version`, from the claim's history."""
    records = list(
        claim.history.filter(version__gte=version)
        .select_related("history_user")
        .order_by("history_date", "history_id")
    )
    labels = {f.name: str(f.verbose_name) for f in Claim._meta.fields}
    ignored = {"version", "updated_at", "status_changed_at"}
    changes = []
    for previous, record in pairwise(records):
        delta = record.diff_against(previous, foreign_keys_are_objs=False)
        fields = [labels.get(name, name) for name in delta.changed_fields if name not in ignored]
        when = date_format(localtime(record.history_date), "SHORT_DATETIME_FORMAT")
        changes.append((person(record.history_user), when, fields))
    return changes


def conflict_message(claim: Claim, version: int) -> str:
    """Names who changed what since the person loaded `version`."""
    steps = [
        _("%(who)s changed %(fields)s (%(when)s)")
        % {"who": who, "fields": ", ".join(fields) or _("the record"), "when": when}
        for who, when, fields in changes_since(claim, version)
    ]
    return _(
        "Someone saved this claim after you opened it: %(steps)s. Nothing of yours was saved; "
        "your input is still on the form. Check their changes, then save again to keep yours."
    ) % {"steps": "; ".join(steps) or _("it is now at version %s") % claim.version}


class ClaimChangeForm(forms.ModelForm):
    """Edits an existing claim through claim_update (see ClaimAdmin.save_model)."""

    expected_version = forms.IntegerField(widget=forms.HiddenInput)
    desk_user = None  # set per request by ClaimAdmin.get_form

    class Meta:
        model = Claim
        fields = UPDATABLE

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["expected_version"].initial = self.instance.version
        # Offer active verdicts and desk members, plus the claim's current ones even if retired
        # or gone: a choice missing from the menu would be cleared by an unrelated save.
        if "verdict" in self.fields:
            self.fields["verdict"].queryset = VerdictRating.objects.filter(
                Q(is_active=True) | Q(pk=self.instance.verdict_id)
            )
        if "assignee" in self.fields:
            self.fields["assignee"].queryset = (
                get_user_model()
                .objects.filter(
                    Q(pk__in=desk_members().values("pk")) | Q(pk=self.instance.assignee_id)
                )
                .order_by("first_name", "last_name", "username")
            )

    def clean(self):
        cleaned = super().clean()
        # The lock is held until the admin's transaction ends, so nobody can save between this
        # check and save_model.
        current = claim_lock(self.instance.pk)
        expected = cleaned.get("expected_version")
        if expected != current.version:
            self._merge_theirs(current, expected)
            raise ValidationError(conflict_message(current, expected or 1), code="conflict")
        changed = [name for name in self.changed_data if name in UPDATABLE]
        try:
            check_editable(current, self.desk_user, [n for n in changed if n != "assignee"])
            if "assignee" in changed and cleaned.get("assignee"):
                check_assign(self.desk_user, current, cleaned["assignee"])
        except TransitionNotAllowed as refused:
            self._add_refusal(refused, default_field="assignee")
        except PermissionDenied as refused:
            self.add_error("assignee" if "assignee" in changed else None, str(refused))
        if "quote" in changed and cleaned.get("quote") and current.article_id:
            self._reanchor(current, cleaned["quote"])
        return cleaned

    def _merge_theirs(self, current: Claim, expected: int | None) -> None:
        """Prepare the re-displayed form so that saving again loses nobody's work.

        A field only the other person changed takes their value; a field only this person
        changed keeps theirs; a field both changed keeps this person's input, with an error
        saying what the other person wrote. The form then carries the current version, so
        saving again is a deliberate choice.
        """
        loaded = current.history.filter(version=expected).order_by("-history_id").first()
        data = self.data.copy()
        data[self.add_prefix("expected_version")] = current.version
        for name in UPDATABLE:
            # Topics are not in the claim's history (a many-to-many), so they are not merged.
            if name not in self.fields or name == "topics" or loaded is None:
                continue
            attname = Claim._meta.get_field(name).attname
            before, now = getattr(loaded, attname), getattr(current, attname)
            if before == now:
                continue
            mine = self.cleaned_data.get(name, before)
            mine = getattr(mine, "pk", mine)
            if mine == before:
                self._set_bound_value(data, name, now)
            else:
                self.add_error(
                    name,
                    _("Also changed by someone else, to: %(value)s") % {"value": now or "—"},
                )
        self.data = data

    def _set_bound_value(self, data, name: str, value) -> None:
        key = self.add_prefix(name)
        if isinstance(value, bool):
            if value:
                data[key] = "on"
            else:
                data.pop(key, None)
        else:
            data[key] = "" if value is None else str(value)

    def _add_refusal(self, refused: ValidationError, default_field: str) -> None:
        if hasattr(refused, "error_dict"):
            for field, messages in refused.message_dict.items():
                self.add_error(field if field in self.fields else None, messages)
        else:
            self.add_error(default_field, refused.messages)

    def _reanchor(self, claim: Claim, quote: str) -> None:
        try:
            anchor = anchor_quote(claim.article.text, quote)
        except ValidationError as error:
            self.add_error("quote", error.messages)
            return
        # The model's own check (full_clean) then finds the quote where the anchor points;
        # claim_update re-anchors the claim it saves.
        self.instance.place_at(anchor, revision=self.instance.anchored_revision)


class ClaimAddForm(forms.ModelForm):
    """Creates a claim through claim_create, which anchors the quote in the article."""

    anchor_start = forms.IntegerField(
        label=gettext_lazy("Start position"),
        required=False,
        min_value=0,
        help_text=gettext_lazy("Only when the quote appears more than once in the article."),
    )
    desk_user = None

    class Meta:
        model = Claim
        fields = [
            "article",
            "quote",
            "claim_reviewed",
            "speaker",
            "claimant",
            "claimant_url",
            "attribution",
            "claimed_on",
            "language",
            "parent",
            "topics",
            "assignee",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["article"].required = True
        self.fields["language"].required = False
        self.fields["language"].help_text = _("Leave empty to use the article's language.")

    def clean(self):
        cleaned = super().clean()
        article, quote = cleaned.get("article"), cleaned.get("quote")
        if article and not cleaned.get("language"):
            cleaned["language"] = article.language
        if article and quote:
            try:
                anchor = anchor_quote(article.text, quote, cleaned.get("anchor_start"))
            except ValidationError as error:
                field = "anchor_start" if error.code == "anchor_out_of_range" else "quote"
                self.add_error(field, error.messages)
            else:
                # The model's clean() checks the instance's anchor holds the quote (claim_create
                # anchors the claim it saves); anchor_start is also a form field, so it goes in
                # the cleaned data too.
                cleaned["anchor_start"] = anchor.start
                self.instance.place_at(anchor, revision=None)
        if assignee := cleaned.get("assignee"):
            try:
                check_may_assign_to(self.desk_user, assignee)
            except PermissionDenied as refused:
                self.add_error("assignee", str(refused))
            except ValidationError as refused:  # not on the desk
                self.add_error("assignee", refused)
        return cleaned
