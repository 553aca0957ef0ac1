"""Server-side request forgery guard: where a webhook may point.

A target must be http(s) and, unless `webhooks_allow_private_targets` is set, every address its
host resolves to must be globally routable: no private, loopback, link-local, multicast, reserved
or unspecified address (IPv4-mapped IPv6 is judged by its IPv4 address). It is checked when a
subscription is saved and again at each delivery, where the sender connects to the very address
that passed the check (so a DNS answer that changes in between cannot steer it inward).
"""

import asyncio
import ipaddress
import socket

import httpx

from chargeyard.errors import Invalid

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


class TargetRefused(Invalid):
    """The URL is malformed or points where webhooks may not go."""


def parse_target(url: str) -> httpx.URL:
    try:
        parsed = httpx.URL(url)
    except httpx.InvalidURL as error:
        raise TargetRefused(f"{url!r} is not a URL: {error}") from None
    if parsed.scheme not in ("http", "https") or not parsed.host:
        raise TargetRefused("a webhook URL is http:// or https:// with a host")
    return parsed


def is_public(address: IPAddress) -> bool:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return address.is_global and not (
        address.is_multicast
        or address.is_private
        or address.is_loopback
        or address.is_link_local
        or address.is_reserved
        or address.is_unspecified
    )


async def resolve(host: str, port: int) -> list[IPAddress]:
    try:
        return [ipaddress.ip_address(host)]
    except ValueError:
        pass
    loop = asyncio.get_running_loop()
    try:
        infos = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except OSError as error:
        raise TargetRefused(f"the host {host!r} does not resolve: {error}") from None
    return list(dict.fromkeys(ipaddress.ip_address(info[4][0]) for info in infos))


async def public_address(url: httpx.URL) -> IPAddress:
    """The address to connect to; refuses the URL if any address of its host is not public."""
    addresses = await resolve(url.host, url.port or (443 if url.scheme == "https" else 80))
    refused = [str(a) for a in addresses if not is_public(a)]
    if refused or not addresses:
        raise TargetRefused(
            f"the host {url.host!r} resolves to a non-public address ({', '.join(refused)}); "
            "webhooks may not target private, loopback, link-local or reserved networks"
        )
    return addresses[0]


async def check_target(url: str, allow_private: bool) -> httpx.URL:
    parsed = parse_target(url)
    if not allow_private:
        await public_address(parsed)
    return parsed
