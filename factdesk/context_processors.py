from django.conf import settings


def organization(request):
    """The fact-checking organisation's name and URL, for page headers and public markup."""
    return {
        "organization_name": settings.FACTDESK_ORGANIZATION_NAME,
        "organization_url": settings.FACTDESK_ORGANIZATION_URL,
    }
