from django.contrib.auth.models import Group

from tests.factories import UserFactory


def desk_user(username, group):
    user = UserFactory(
        username=username, email=f"{username}@desk.example", first_name=username.title()
    )
    user.groups.add(Group.objects.get(name=group))
    return user


def _value(bound):
    value = bound.value()
    if value is None or value is False:
        return None
    if value is True:
        return "on"
    if isinstance(value, list | tuple):
        return [str(v) for v in value]
    return str(value)


def form_data(response, **overrides):
    """What the browser would post back from an admin change form, with `overrides` typed in."""
    data = {}
    forms = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        forms += [formset.management_form, *formset.forms]
    for form in forms:
        for name in form.fields:
            value = _value(form[name])
            if value is not None:
                data[form.add_prefix(name)] = value
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}
