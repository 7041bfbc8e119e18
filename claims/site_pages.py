"""Pages about the site as a whole: robots.txt and the readers' index of checked articles."""

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from lib.site_url import absolute_url
from lib.url_shapes import reverse

from . import selectors
from .caching import cached_page

PAGE_SIZE = 20


@require_safe
def robots_txt(request):
    """Crawlers may read the public pages, not the desk's; the sitemap lists what there is."""
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /accounts/",
        "Disallow: /api/",
        "Disallow: /embed/demo/",
        f"Sitemap: {absolute_url(reverse('sitemap'))}",
        "",
    ]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")


@require_safe
@cached_page(with_query=True)
def article_index(request):
    """Every article with a published check, most recently checked first."""
    page = Paginator(selectors.checked_articles(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "claims/article_list.html", {"page": page})
