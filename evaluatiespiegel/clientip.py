"""The one rule for "which client is this": used by the venue throttles and by django-axes."""

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    """The client's address, as the trusted proxies saw it.

    Without proxies (settings.PROXY_COUNT == 0) that is REMOTE_ADDR. Behind N trusted
    proxies, each appends the address it received the request from to X-Forwarded-For, so
    the client is the N-th entry from the right; everything left of it was written by the
    client and is ignored (a client can put anything there). A header with fewer entries
    than proxies, or an entry that is no IP address, falls back to REMOTE_ADDR.

    IPv6 clients are counted per /64 network (one home or phone has a whole /64 to rotate
    through), returned as that network's address so that it still fits an IP field.
    Returns "" when there is no usable address.
    """
    address = request.META.get("REMOTE_ADDR", "")
    count = getattr(settings, "PROXY_COUNT", 0)
    if count > 0:
        hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        hops = [hop for hop in hops if hop]
        if len(hops) >= count:
            address = hops[-count]
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        try:
            ip = ipaddress.ip_address(request.META.get("REMOTE_ADDR", ""))
        except ValueError:
            return ""
    if ip.version == 6:
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.IPv6Network((ip, 64), strict=False).network_address)
    return str(ip)
