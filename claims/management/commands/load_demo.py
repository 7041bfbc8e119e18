from django.core.management.base import BaseCommand
from django.urls import reverse
from django.utils import translation

from claims.demo import SUPERUSER, load_demo
from lib.site_url import absolute_url


class Command(BaseCommand):
    help = "Load the demo article and its claims (idempotent: a second run changes nothing)."

    def handle(self, *args, **options):
        result = load_demo()
        article = result.article
        if result.created:
            self.stdout.write(
                self.style.SUCCESS(f"Loaded the demo article with {article.claims.count()} claims.")
            )
        else:
            self.stdout.write("The demo article is already loaded; nothing changed.")
        self.stdout.write("")
        # FACTDESK_SITE_URL, which `make run` sets to the address it serves on (lib/site_url.py).
        self.stdout.write(f"  Admin:        {absolute_url(reverse('admin:index'))}")
        # The article in its own language (Italian: every check) and in English (some checks
        # translated, the others "available in Italian"), here and on a publisher's page.
        with translation.override(article.language):
            self.stdout.write(f"  Demo article: {absolute_url(article.get_absolute_url())}")
        with translation.override("en"):
            self.stdout.write(f"  In English:   {absolute_url(article.get_absolute_url())}")
        publisher = absolute_url(reverse("embed_demo", kwargs={"slug": article.slug}))
        self.stdout.write(
            f"  On a publisher's page: {publisher}  (English page: {publisher}?lang=en)"
        )
        if result.superuser_password:
            self.stdout.write(f"  Log in as:    {SUPERUSER}")
            self.stdout.write(
                self.style.WARNING(f"  Password:     {result.superuser_password}")
                + "   (shown only this once)"
            )
        else:
            self.stdout.write(
                f"  Log in as '{SUPERUSER}' with the password printed on the first run, or set a "
                f"new one: .venv/bin/python manage.py changepassword {SUPERUSER}"
            )
