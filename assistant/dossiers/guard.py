"""Budgets that keep receipt codes and their second factor from being guessed.

A lookup is counted against three budgets, and refused when any is used up:

* the requester (a chat sender, or nothing for the REST API),
* the client's network — the address for IPv4, its /64 for IPv6, because one IPv6 client holds a whole
  /64 — which a web client cannot change by picking a new sender id,
* the dossier code itself, whoever asks.

Wrong phone digits are counted per code: after ``max_misses`` in the window the second factor of that
code is locked (even the right digits are not checked) until the window passes.
"""

from __future__ import annotations

import ipaddress

from assistant.rate_limit import RateLimiter, Verdict


def client_network(host: str | None) -> str | None:
    """The budget key of a client address: the IPv4 address, or the /64 an IPv6 address is in."""
    if not host:
        return None
    try:
        address = ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return host[:64]
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return str(address.ipv4_mapped)
        return str(ipaddress.IPv6Network((address, 64), strict=False))
    return str(address)


class LookupGuard:
    def __init__(
        self,
        *,
        per_requester: RateLimiter,
        per_network: RateLimiter,
        per_code: RateLimiter,
        misses: RateLimiter,
        max_misses: int,
    ) -> None:
        self._per_requester = per_requester
        self._per_network = per_network
        self._per_code = per_code
        self._misses = misses
        self._max_misses = max_misses

    async def admit(self, code: str, *, requester: str | None, network: str | None) -> Verdict:
        """Count one lookup of ``code``; refused when its requester, network or code is over budget."""
        for limiter, key in (
            (self._per_requester, requester),
            (self._per_network, network),
            (self._per_code, code),
        ):
            if key is None:
                continue
            verdict = await limiter.hit(key)
            if not verdict.allowed:
                return verdict
        return Verdict(True)

    async def second_factor_locked(self, code: str) -> bool:
        return await self._misses.used(code) >= self._max_misses

    async def record_miss(self, code: str) -> None:
        await self._misses.hit(code)
