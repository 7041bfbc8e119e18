"""The desk's admin: claims (the workplace), and the records around them."""

from . import claim, records  # noqa: F401  (registers the ModelAdmins)
