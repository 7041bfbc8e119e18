import time
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from claims.services.claims_csv import claims_csv_import, csv_rows


class Command(BaseCommand):
    help = (
        "Import checked claims from a CSV with the columns checkit_id, statement, politician "
        "and verdict (Pagella Politica's data as the CheckIt! project shares it): one published "
        "claim per row, linked to its claimant, so report cards show real data. Running it "
        "again with the same file changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="The CSV file (UTF-8).")
        parser.add_argument(
            "--source",
            default="checkit",
            help="A name for where the rows come from; with each row's id it keys the claim.",
        )
        parser.add_argument("--language", default="it", help="The claims' language (it).")

    def handle(self, *args, path, source, language, **options):
        file = Path(path)
        if not file.is_file():
            raise CommandError(f"No file at {path}.")
        with file.open(encoding="utf-8-sig", newline="") as stream:
            total = sum(1 for _ in stream) - 1
            stream.seek(0)
            try:
                rows = csv_rows(stream)
            except ValidationError as error:
                raise CommandError(" ".join(error.messages)) from error
            started = time.monotonic()
            step = max(1, total // 20)

            def progress(done: int) -> None:
                if done % step == 0 or done == total:
                    rate = done / max(time.monotonic() - started, 1e-6)
                    self.stderr.write(f"{done}/{total} rows, {rate:.0f}/s")

            report = claims_csv_import(
                rows=rows, source=source, language=language, progress=progress
            )
        self.stdout.write(
            f"Created {report.created} claims, {report.unchanged} already imported, "
            f"{len(report.rejected)} rows rejected."
        )
        for reason in report.rejected[:20]:
            self.stderr.write(f"  {reason}")
        for rating, rows_count in sorted(report.unmapped_verdicts.items()):
            self.stderr.write(
                f"  verdict {rating!r} ({rows_count} rows) is not on the scale: add it as an "
                "alias of a verdict in the admin, then map the claims."
            )
