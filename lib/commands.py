"""A base for management commands that run once, or again every --loop SECONDS (the compose
file's schedulers)."""

import time

from django.core.management.base import BaseCommand, CommandError


class RepeatableCommand(BaseCommand):
    """Subclasses write `run_once(**options)`. Run once, a CommandError ends the command with
    its message; in a loop, it is reported and the next round comes as planned, so one bad
    round does not stop a scheduler."""

    def add_arguments(self, parser):
        parser.add_argument("--loop", type=int, metavar="SECONDS", help="Run every SECONDS.")

    def handle(self, *args, loop, **options):
        if loop is not None and loop < 1:
            raise CommandError("--loop needs a number of seconds of at least 1.")
        while True:
            try:
                self.run_once(**options)
            except CommandError as error:
                if loop is None:
                    raise
                self.stderr.write(str(error))
            if loop is None:
                return
            time.sleep(loop)

    def run_once(self, **options):
        raise NotImplementedError
