import json

from django.core.management.base import BaseCommand, CommandError

from claims.detection import THRESHOLD, detect_claims, ranked
from claims.models import Article
from claims.services.candidates import candidates_refresh


class Command(BaseCommand):
    help = "Propose check-worthy claims in an article, with a score and the reasons for each."

    def add_arguments(self, parser):
        parser.add_argument("article_id", type=int)
        parser.add_argument("--json", action="store_true", help="Print a JSON list.")
        parser.add_argument(
            "--threshold", type=float, default=THRESHOLD, help=f"Minimum score ({THRESHOLD})."
        )
        parser.add_argument(
            "--save", action="store_true", help="Store them as suggestions shown in the admin."
        )

    def handle(self, *args, article_id, threshold, **options):
        article = Article.objects.filter(pk=article_id).first()
        if article is None:
            raise CommandError(f"There is no article with id {article_id}.")
        if not 0 <= threshold <= 1:
            raise CommandError("--threshold must be between 0 and 1.")
        candidates = detect_claims(article.text, threshold=threshold)
        if options["save"]:
            stored = candidates_refresh(article=article)
            self.stderr.write(f"Stored {len(stored)} open suggestions for the admin.")
        if options["json"]:
            self.stdout.write(json.dumps([c.as_dict() for c in candidates], ensure_ascii=False))
            return
        for candidate in ranked(candidates):  # strongest first, for an editor to read down
            self.stdout.write(f"[{candidate.start}-{candidate.end}] {candidate.score:.2f}")
            self.stdout.write(f"  {candidate.text}")
            self.stdout.write(f"  because: {'; '.join(candidate.reasons)}")
        self.stdout.write(f"{len(candidates)} candidates in “{article.title}”.")
