"""What other apps may listen to without claims importing them.

`claim_event_happened` is sent by claims.events.claim_event_announce, inside the workflow
step's transaction, for every event webhooks are told of ("claim.published", ...), with
`claim` and `event`. A receiver that acts outside the database (mail) defers to
transaction.on_commit, so a rolled-back step tells no one. Readers' tips use it to tell the
readers who asked that the check is out.
"""

from django.dispatch import Signal

claim_event_happened = Signal()
