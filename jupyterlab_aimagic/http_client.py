"""The server's outgoing HTTP clients: no cookie jar, and for docs a connection to the checked address.

Cookies: httpx keeps a cookie jar per client by default and sends what one host set to
every later request that matches it by name; a port is not part of that match. A Jupyter
login cookie picked up by one fetch from 127.0.0.1 then went to another service on
127.0.0.1, and an upstream's cookie rode along to the keyed OpenAI upstream. Neither client
has any use for cookies, so neither keeps one.

Addresses: checking a URL's host and then letting the HTTP library resolve it again leaves a
window (DNS rebinding: the second answer is internal). The doc fetcher's transport resolves
the host once, checks every address it got, and connects to one of those very addresses;
TLS still verifies the certificate and sends SNI for the host name, since only the socket
is redirected. Every new connection goes through the check, so does every redirect hop.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
import typing
from http.cookiejar import CookieJar, CookiePolicy

import httpcore
import httpx

from .addresses import Allowed, RefusedAddress, check_address


class _NoCookies(CookiePolicy):
    """Accept no cookie, return no cookie."""

    netscape = True
    rfc2965 = False
    hide_cookie2 = True

    def set_ok(self, cookie, request) -> bool:
        return False

    def return_ok(self, cookie, request) -> bool:
        return False

    def domain_return_ok(self, domain, request) -> bool:
        return False

    def path_return_ok(self, path, request) -> bool:
        return False


def cookieless_client(**kwargs: typing.Any) -> httpx.AsyncClient:
    """An ``httpx.AsyncClient`` that neither stores nor sends cookies."""
    return httpx.AsyncClient(cookies=CookieJar(policy=_NoCookies()), **kwargs)


class CheckedBackend(httpcore.AsyncNetworkBackend):
    """An httpcore network backend that connects only to addresses the check allows.

    ``resolve`` is the resolver (``loop.getaddrinfo`` by default); tests replace it to show
    that the connection goes to the address it returned, never to a second lookup.
    """

    def __init__(self, allowed: tuple[Allowed, ...], resolve: typing.Callable | None = None) -> None:
        self._allowed = allowed
        self._resolve = resolve
        self._inner = httpcore.AnyIOBackend()

    async def connect_tcp(self, host, port, timeout=None, local_address=None, socket_options=None):
        """Resolve ``host``, refuse if any of its addresses is internal and not allowed, then connect."""
        addresses = await self.addresses(host, port)
        for address in addresses:
            check_address(host, address, port, self._allowed)
        error: Exception | None = None
        for address in addresses:
            try:
                return await self._inner.connect_tcp(
                    str(address), port, timeout=timeout, local_address=local_address, socket_options=socket_options
                )
            except httpcore.ConnectError as e:  # the next address of the host may answer
                error = e
        raise error or httpcore.ConnectError(f"{host} has no address")

    async def addresses(self, host: str, port: int) -> list:
        """The distinct addresses ``host`` resolves to, in the resolver's order."""
        resolve = self._resolve or asyncio.get_running_loop().getaddrinfo
        try:
            infos = await resolve(host, port, type=socket.SOCK_STREAM)
        except socket.gaierror as e:
            raise httpcore.ConnectError(f"{host} could not be resolved ({e.strerror or e})") from e
        seen: list = []
        for _family, _type, _proto, _name, sockaddr in infos:
            address = ipaddress.ip_address(sockaddr[0].split("%", 1)[0])
            if address not in seen:
                seen.append(address)
        return seen

    async def connect_unix_socket(self, path, timeout=None, socket_options=None):
        raise RefusedAddress("Docs are not fetched over Unix sockets.")

    async def sleep(self, seconds: float) -> None:
        await self._inner.sleep(seconds)


class CheckedTransport(httpx.AsyncHTTPTransport):
    """httpx's own transport (request/response mapping, errors) over a :class:`CheckedBackend`."""

    def __init__(self, allowed: tuple[Allowed, ...], resolve: typing.Callable | None = None) -> None:
        super().__init__(trust_env=False)
        self._pool = httpcore.AsyncConnectionPool(
            ssl_context=httpx.create_ssl_context(trust_env=False),
            network_backend=CheckedBackend(allowed, resolve),
        )


__all__ = ["CheckedBackend", "CheckedTransport", "RefusedAddress", "cookieless_client"]
