"""How many tips one client address, and one contact address, may send.

Counted in fixed windows in the shared cache through lib.cache.SharedOrLocalCache, as the API
throttles are: while Redis is down each process counts in its own memory, so an outage turns
the limit into a per-process one instead of lifting it. Counting is get-then-set, not atomic:
two tips arriving in the same instant may both pass the last slot, which a limit meant to stop
floods can afford.
"""

import hashlib
import ipaddress
import time

from django.conf import settings

from accounts.backends import client_ip
from lib.cache import SharedOrLocalCache

_counts = SharedOrLocalCache("tips")


def client_address(request) -> str:
    """The address a limit is held against; an IPv6 client by its /64, which one home or one
    phone holds whole (counting single IPv6 addresses would let it rotate past the limit)."""
    raw = client_ip(request)
    try:
        address = ipaddress.ip_address(raw.split(",")[0].strip())
    except ValueError:
        return raw[:100]
    if address.version == 4:
        return str(address)
    if address.ipv4_mapped:
        return str(address.ipv4_mapped)
    return str(ipaddress.ip_network(f"{address}/64", strict=False))


def _allowed(kind: str, ident: str, limit: int, window: int) -> bool:
    if limit <= 0:
        return True
    slot = int(time.time() // window)
    digest = hashlib.sha256(ident.encode()).hexdigest()[:32]
    key = f"tips:rate:{kind}:{digest}:{slot}"
    used = _counts.get(key, 0)
    if used >= limit:
        return False
    _counts.set(key, used + 1, window)
    return True


def tip_allowed_from(address: str) -> bool:
    """Count one tip from `address`; False once it has sent TIPS_RATE_PER_ADDRESS this hour."""
    return _allowed("address", address, settings.TIPS_RATE_PER_ADDRESS, 3600)


def tip_allowed_for_contact(email: str) -> bool:
    """Count one tip leaving `email`; False past TIPS_RATE_PER_CONTACT today (a form used to
    make the desk mail someone who never asked)."""
    return _allowed("contact", email.strip().lower(), settings.TIPS_RATE_PER_CONTACT, 86400)
