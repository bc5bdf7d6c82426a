"""The address of the client behind reverse proxies, from the connection's address and the
X-Forwarded-For header, believing the header only as far as the proxies named as trusted.

Each proxy appends the address it received the request from, so read from the right the header
is true while its entries are trusted proxies; the first entry that is not a trusted proxy is the
client, and whatever stands left of it the client may have written itself (MDN, "X-Forwarded-For:
Selecting an IP address"; the rule Rails' and Werkzeug's proxy fixes follow).
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Sequence

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def parse_networks(items: Iterable[str]) -> tuple[Network, ...]:
    """Addresses or CIDR blocks ("10.0.0.0/8", "192.0.2.7", "2001:db8::/32") as networks; a bad
    item raises ValueError naming it. Host bits are allowed ("10.1.2.3/8" is 10.0.0.0/8)."""
    networks = []
    for item in items:
        try:
            networks.append(ipaddress.ip_network(item.strip(), strict=False))
        except ValueError:
            raise ValueError(f"{item!r} is not an IP address or CIDR block") from None
    return tuple(networks)


def parse_address(text: str) -> Address | None:
    """One address as a connection or a proxy gives it, or None if it is not one. A port is
    dropped ("192.0.2.7:443", "[2001:db8::1]:443", as some proxies write), and an IPv4 address
    mapped into IPv6 ("::ffff:192.0.2.7", from a dual-stack socket) is the IPv4 address."""
    text = text.strip()
    if text.startswith("["):  # [IPv6] or [IPv6]:port
        text = text[1:].partition("]")[0]
    elif text.count(":") == 1:  # IPv4:port (an IPv6 address has two colons at least)
        text = text.partition(":")[0]
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        return address.ipv4_mapped
    return address


def _trusted(address: Address, proxies: Sequence[Network]) -> bool:
    return any(address in network for network in proxies)


def client_address(remote_addr: str, forwarded_for: str, proxies: Sequence[Network]) -> str:
    """The client's address: `remote_addr` (the connection's) unless that is one of `proxies`;
    then the right-most X-Forwarded-For entry that is not a proxy. The header is never read when
    `remote_addr` is not a trusted proxy, so a client reaching the site directly cannot name
    itself. An entry that is not an address is never the answer and stops the walk (a trusted
    proxy writes only addresses, so nothing from there leftwards is vouched for): the last
    trusted hop reached is the answer then, as it is when every entry is a trusted proxy. Blank
    entries are skipped (two headers joined with ", " leave them). `remote_addr` comes back as
    given if it is not an address.
    """
    remote = parse_address(remote_addr)
    if remote is None or not _trusted(remote, proxies):
        return remote_addr if remote is None else str(remote)
    last = remote
    for entry in reversed(forwarded_for.split(",")):
        if not entry.strip():
            continue
        hop = parse_address(entry)
        if hop is None:
            break
        if not _trusted(hop, proxies):
            return str(hop)
        last = hop
    return str(last)
