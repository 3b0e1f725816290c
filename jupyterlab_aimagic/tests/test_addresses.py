"""The doc fetcher's address check: what is internal, what the allow-list lets through.

Only numeric hosts are resolved here (no DNS query leaves the machine) and nothing connects.
"""

from __future__ import annotations

import ipaddress
import socket

import pytest

from jupyterlab_aimagic.addresses import RefusedAddress, check_address, internal_reason, parse_allowed
from jupyterlab_aimagic.http_client import CheckedBackend


@pytest.mark.parametrize(
    "address, words",
    [
        ("127.0.0.1", "loopback"),
        ("127.255.0.9", "loopback"),
        ("::1", "loopback"),
        ("0.0.0.0", "unspecified"),
        ("::", "unspecified"),
        ("169.254.169.254", "link-local"),  # cloud metadata
        ("fe80::1", "link-local"),
        ("10.1.2.3", "private"),
        ("172.16.0.1", "private"),
        ("192.168.1.1", "private"),
        ("100.64.0.1", "not publicly routable"),  # carrier-grade NAT
        ("fd00::1", "unique-local"),
        ("fc00::1", "unique-local"),
        ("224.0.0.1", "multicast"),
        ("::ffff:127.0.0.1", "loopback"),  # IPv4-mapped
        ("::ffff:169.254.169.254", "link-local"),
        ("64:ff9b::a9fe:a9fe", "link-local"),  # NAT64 of 169.254.169.254
        ("2002:7f00:1::", "loopback"),  # 6to4 of 127.0.0.1
        ("198.18.0.1", "private"),  # benchmarking
        ("8.8.8.8", None),
        ("151.101.1.69", None),
        ("2606:4700::1111", None),
        ("::ffff:8.8.8.8", None),
    ],
)
def test_internal_addresses(address, words):
    reason = internal_reason(ipaddress.ip_address(address))
    assert (reason is None) if words is None else (words in reason)


@pytest.mark.parametrize(
    "spelling",
    ["127.1", "2130706433", "0x7f000001", "0177.0.0.1", "127.0.0.1", "::ffff:127.0.0.1", "0.0.0.0", "0", "::1"],
)
async def test_every_spelling_of_an_internal_address_is_refused_after_resolution(spelling):
    backend = CheckedBackend(())
    addresses = await backend.addresses(spelling, 80)  # numeric: resolved without a DNS query
    assert addresses
    with pytest.raises(RefusedAddress) as info:
        await backend.connect_tcp(spelling, 80)
    assert "allowed_hosts" in str(info.value)


@pytest.mark.parametrize(
    "entry, host, address, port, allowed",
    [
        ("127.0.0.1:8843", "127.0.0.1", "127.0.0.1", 8843, True),
        ("127.0.0.1:8843", "127.0.0.1", "127.0.0.1", 8844, False),  # only that port
        ("127.0.0.1", "127.1", "127.0.0.1", 9, True),  # any spelling of the allowed address
        ("127.0.0.1", "127.0.0.1", "127.0.0.2", 9, False),
        ("10.0.0.0/8", "docs.corp", "10.9.8.7", 443, True),
        ("10.0.0.0/8", "docs.corp", "192.168.0.1", 443, False),
        ("[::1]:8000", "::1", "::1", 8000, True),
        ("::1", "::1", "::1", 1234, True),
        ("::1", "127.0.0.1", "127.0.0.1", 1234, False),
        ("::ffff:127.0.0.1", "127.0.0.1", "127.0.0.1", 80, True),
        ("Docs.Internal", "docs.internal", "10.0.0.5", 80, True),  # a name allows what it resolves to
        ("docs.internal:8080", "docs.internal", "10.0.0.5", 80, False),
        ("docs.internal", "evil.docs.internal", "10.0.0.5", 80, False),
        ("localhost", "127.0.0.1", "127.0.0.1", 80, False),  # names match names, not addresses
    ],
)
def test_allow_list(entry, host, address, port, allowed):
    rule = (parse_allowed(entry),)
    ip = ipaddress.ip_address(address)
    if allowed:
        check_address(host, ip, port, rule)
    else:
        with pytest.raises(RefusedAddress):
            check_address(host, ip, port, rule)


@pytest.mark.parametrize("entry", ["", "http://x", "[::1", "[::1]x", "host:0", "host:http", "a..b", "10.0.0.0/33"])
def test_malformed_allow_entries_are_refused(entry):
    with pytest.raises(ValueError):
        parse_allowed(entry)


def test_a_refusal_names_the_host_the_reason_and_the_setting():
    with pytest.raises(RefusedAddress) as info:
        check_address("metadata.internal", ipaddress.ip_address("169.254.169.254"), 80, ())
    message = str(info.value)
    assert "metadata.internal (169.254.169.254)" in message and "link-local" in message
    assert "c.AIMagicDocs.allowed_hosts = ['metadata.internal:80']" in message


async def test_a_name_with_one_internal_address_among_public_ones_is_refused():
    async def resolve(host, port, type):  # noqa: A002 - getaddrinfo's own keyword
        return [
            (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("8.8.8.8", port)),
            (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("10.0.0.1", port)),
        ]

    with pytest.raises(RefusedAddress):
        await CheckedBackend((), resolve).connect_tcp("mixed.example", 80)
