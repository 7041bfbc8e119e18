from django.core.management.base import BaseCommand, CommandError

from ops.migration_safety import find_unsafe_operations


class Command(BaseCommand):
    help = "Fail if a migration of this project is unsafe during a rolling deploy (see ops)."

    def handle(self, *args, **options):
        findings = find_unsafe_operations()
        for finding in findings:
            self.stderr.write(str(finding))
        if findings:
            raise CommandError(
                f"{len(findings)} unsafe migration operation(s). Make them safe, or declare "
                "Migration.safety_reviewed = 'why it is safe' in the migration."
            )
        self.stdout.write(self.style.SUCCESS("Migrations are safe for a rolling deploy."))
