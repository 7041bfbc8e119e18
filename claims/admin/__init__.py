"""The desk's admin: claims (the workplace), and the records around them."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from . import claim, records, sightings  # noqa: F401  (registers the ModelAdmins)

admin.site.site_header = _("Factdesk")
admin.site.site_title = _("Factdesk desk")
admin.site.index_title = _("Desk")
