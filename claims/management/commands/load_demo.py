from django.core.management.base import BaseCommand
from django.utils import translation

from claims.demo import SUPERUSER, load_demo


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
        self.stdout.write("  Admin:        http://127.0.0.1:8000/admin/")
        with translation.override("en"):
            self.stdout.write(f"  Demo article: http://127.0.0.1:8000{article.get_absolute_url()}")
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
