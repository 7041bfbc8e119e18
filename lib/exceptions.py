"""Errors that more than one app raises and every door must answer the same way."""


class EditConflict(Exception):
    """Someone saved the record after the caller loaded it (admin: form error; API: 412).

    Raised by services that take the version the caller edited (optimistic locking).
    """

    def __init__(self, obj, expected_version: int):
        self.obj = obj
        self.expected_version = expected_version
        super().__init__(
            f"{obj._meta.verbose_name.capitalize()} {obj.pk} is at version {obj.version}, "
            f"not {expected_version}: someone else saved it in the meantime."
        )
