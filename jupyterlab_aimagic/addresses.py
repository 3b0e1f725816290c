"""Which network addresses the doc fetcher may connect to.

A notebook names its doc URLs, and notebooks come from other people. Without a check, the
server would fetch whatever a notebook names from where the server sits: its own loopback
services (Jupyter itself, a local model server), the cloud's metadata service on 169.254.…,
other machines of a private network. So only globally routable addresses are reached, and
the check is made on the *resolved* address, which catches every alternative spelling of an
internal one (``127.1``, ``2130706433``, ``0x7f000001``, ``::ffff:127.0.0.1``) and names that
resolve inside. People who serve docs locally allow named hosts or ranges explicitly
(``c.AIMagicDocs.allowed_hosts``).
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from typing import Union

IPAddress = Union[ipaddress.IPv4Address, ipaddress.IPv6Address]
IPNetwork = Union[ipaddress.IPv4Network, ipaddress.IPv6Network]

#: IPv6 prefixes that carry an IPv4 address in their last 32 bits (NAT64, well-known and
#: local-use): the embedded address is what is really reached.
_NAT64 = (ipaddress.IPv6Network("64:ff9b::/96"), ipaddress.IPv6Network("64:ff9b:1::/48"))


class RefusedAddress(Exception):
    """A connection the address check does not allow; the message says why and what to do."""


@dataclass(frozen=True)
class Allowed:
    """One entry of the allow-list: a host name or an address range, maybe only on one port."""

    name: str | None = None
    network: IPNetwork | None = None
    port: int | None = None

    def matches(self, host: str, address: IPAddress, port: int) -> bool:
        """Whether a connection to ``address:port``, asked for as ``host``, is allowed."""
        if self.port is not None and self.port != port:
            return False
        if self.name is not None:
            return host.lower().rstrip(".") == self.name
        return self.network is not None and _unmapped(address) in self.network


def parse_allowed(entry: str) -> Allowed:
    """An allow-list entry: ``docs.internal``, ``10.0.0.0/8``, ``127.0.0.1:8000``, ``[::1]:8000``.

    Raises ValueError with a message when the entry is none of these.
    """
    text = entry.strip()
    if not text:
        raise ValueError("an empty entry")
    port = None
    if text.startswith("["):
        inner, sep, rest = text[1:].partition("]")
        if not sep or (rest and not rest.startswith(":")):
            raise ValueError(f"{entry!r} is not [IPv6 address]:port")
        text, port = inner, _port(rest[1:], entry) if rest else None
    elif text.count(":") == 1:
        text, raw_port = text.split(":")
        port = _port(raw_port, entry)
    try:
        network = ipaddress.ip_network(text, strict=False)
    except ValueError:
        if "/" in text or ":" in text or not all(part for part in text.split(".")):
            raise ValueError(f"{entry!r} is neither a host name nor an address range") from None
        return Allowed(name=text.lower().rstrip("."), port=port)
    return Allowed(network=_unmapped_network(network), port=port)


def internal_reason(address: IPAddress) -> str | None:
    """Why ``address`` is internal (not to be fetched from), or None if it is public."""
    address = _unmapped(address)
    if address.is_unspecified:
        return "the unspecified address (this machine)"
    if address.is_loopback:
        return "a loopback address (this machine)"
    if address.is_link_local:
        return "a link-local address (the cloud metadata service lives there)"
    if address.is_multicast:
        return "a multicast address"
    if isinstance(address, ipaddress.IPv6Address) and address in ipaddress.IPv6Network("fc00::/7"):
        return "a unique-local IPv6 address (a private network)"
    if address.is_private:
        return "a private network address"
    if not address.is_global:
        return "an address that is not publicly routable"
    return None


def check_address(host: str, address: IPAddress, port: int, allowed: tuple[Allowed, ...]) -> None:
    """Raise :class:`RefusedAddress` unless ``host`` at ``address:port`` may be fetched from."""
    reason = internal_reason(address)
    if reason is None or any(entry.matches(host, address, port) for entry in allowed):
        return
    shown = host if host == str(address) else f"{host} ({address})"
    raise RefusedAddress(
        f"Refused to fetch from {shown}: it is {reason}. Docs are fetched only from public "
        "addresses; to serve them from this host, the server's administrator can allow it with "
        f"c.AIMagicDocs.allowed_hosts = [{_entry_for(host, address, port)!r}]."
    )


def _entry_for(host: str, address: IPAddress, port: int) -> str:
    shown = f"[{address}]" if isinstance(address, ipaddress.IPv6Address) else str(address)
    return f"{shown}:{port}" if host == str(address) else f"{host}:{port}"


def _unmapped(address: IPAddress) -> IPAddress:
    # An IPv6 address that only wraps an IPv4 one reaches that IPv4 address: judge it as such.
    if isinstance(address, ipaddress.IPv6Address):
        embedded = address.ipv4_mapped or address.sixtofour
        if embedded is None and any(address in net for net in _NAT64):
            embedded = ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
        if embedded is None and address.teredo:
            embedded = address.teredo[1]
        if embedded is not None:
            return embedded
    return address


def _unmapped_network(network: IPNetwork) -> IPNetwork:
    if isinstance(network, ipaddress.IPv6Network) and network.network_address.ipv4_mapped and network.prefixlen >= 96:
        return ipaddress.IPv4Network((network.network_address.ipv4_mapped, network.prefixlen - 96))
    return network


def _port(raw: str, entry: str) -> int:
    if not raw.isdigit() or not 0 < int(raw) < 65536:
        raise ValueError(f"{entry!r} has an invalid port {raw!r}")
    return int(raw)
