import sys
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from claims.services.candidates import candidates_refresh
from claims.services.ingest import article_ingest_text, article_ingest_url


class Command(BaseCommand):
    help = (
        "Store an article from a URL (fetched safely, main text extracted), a text file, or "
        "standard input ('-'), then propose its check-worthy claims."
    )

    def add_arguments(self, parser):
        parser.add_argument("source", help="A http(s) URL, a path to a text file, or '-'.")
        parser.add_argument("--title", default="", help="Title (pasted text only).")
        parser.add_argument("--language", default="", help="Language code, e.g. it or en.")

    def handle(self, *args, source, title, language, **options):
        try:
            if source.startswith(("http://", "https://")):
                article = article_ingest_url(url=source, actor=None)
            else:
                text = sys.stdin.read() if source == "-" else self._read(source)
                article = article_ingest_text(text=text, title=title, language=language, actor=None)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        candidates = candidates_refresh(article=article)
        revision = article.revisions.order_by("-number").first()
        self.stdout.write(
            self.style.SUCCESS(
                f"Article {article.pk} “{article.title}” ({article.language}), revision "
                f"{revision.number}: {len(candidates)} suggested claims."
            )
        )

    def _read(self, path: str) -> str:
        try:
            return Path(path).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(f"Cannot read {path}: {error}") from None
