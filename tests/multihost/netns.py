"""Test hosts on one machine: Linux network namespaces joined by a bridge.

The root namespace holds a bridge with the subnet's first address, where the shared servers
(Postgres, Redis, S3) listen; each host is a namespace with one end of a veth pair (the other
end on the bridge) and an address of its own. A host's processes see only its own loopback
and the bridge, as workers on separate machines see only the network.

Needs root and iproute2. Names carry a random token so parallel runs never collide, and
`Lab.close` removes everything it made, processes first (a namespace lives while any process
is in it).
"""

from __future__ import annotations

import ipaddress
import os
import random
import secrets
import shutil
import signal
import subprocess
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO


class NamespacesUnavailable(RuntimeError):
    """This machine (or this user) cannot make network namespaces; the reason says why."""


def _ip(*args: str) -> str:
    result = subprocess.run(["ip", *args], capture_output=True, text=True, timeout=30)
    if result.returncode != 0:
        raise RuntimeError(f"ip {' '.join(args)}: {result.stderr.strip()}")
    return result.stdout


def unavailable_reason() -> str | None:
    """Why namespaces cannot be made here, or None when they can (tried for real)."""
    if os.geteuid() != 0:
        return "network namespaces need root (ip netns add)"
    if shutil.which("ip") is None:
        return "no `ip` command (iproute2) to make network namespaces"
    probe = f"rt-mh-probe-{secrets.token_hex(3)}"
    try:
        _ip("netns", "add", probe)
    except RuntimeError as exc:
        return f"cannot make a network namespace: {exc}"
    _ip("netns", "del", probe)
    return None


def _subnets_in_use() -> list[ipaddress.IPv4Network]:
    found = []
    for line in _ip("-4", "-o", "addr", "show").splitlines() + _ip("-4", "route").splitlines():
        for word in line.split():
            try:
                found.append(ipaddress.IPv4Network(word, strict=False))
            except ValueError:
                continue
    return found


def free_subnet() -> ipaddress.IPv4Network:
    """A /24 in 10.200.0.0/13 that no interface or route of this machine uses."""
    used = _subnets_in_use()
    for _ in range(200):
        candidate = ipaddress.IPv4Network(
            f"10.{random.randint(200, 207)}.{random.randint(0, 255)}.0/24")
        if not any(candidate.overlaps(net) for net in used if net.prefixlen > 0):
            return candidate
    raise RuntimeError("no free /24 in 10.200.0.0/13 for the test bridge")


@dataclass
class Host:
    """One namespace: `address` on the bridge's subnet, reached from every other host."""

    name: str
    namespace: str
    address: str

    def pids(self) -> list[int]:
        """Every process in this namespace (`ip netns pids`)."""
        return [int(pid) for pid in _ip("netns", "pids", self.namespace).split()]

    def popen(self, args: Sequence[str], *, env: dict[str, str], cwd: Path,
              log: IO[bytes]) -> subprocess.Popen[bytes]:
        """Start `args` inside this host (`ip netns exec` execs it: the pid is the program's)."""
        return subprocess.Popen(["ip", "netns", "exec", self.namespace, *args], env=env,
                                cwd=cwd, stdout=log, stderr=subprocess.STDOUT,
                                start_new_session=True)

    def kill_all(self, *, timeout: float = 15.0) -> int:
        """SIGKILL every process of this host, as a machine losing power would; returns how
        many there were. Waits until the namespace is empty."""
        killed = 0
        deadline = time.monotonic() + timeout
        while pids := self.pids():
            for pid in pids:
                try:
                    os.kill(pid, signal.SIGKILL)
                    killed += 1
                except ProcessLookupError:
                    pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"host {self.name}: processes {pids} survive SIGKILL")
            time.sleep(0.05)  # the kernel tears them down asynchronously
        return killed


@dataclass
class Lab:
    """A bridge in the root namespace and hosts (namespaces) attached to it."""

    token: str
    subnet: ipaddress.IPv4Network
    bridge: str
    hosts: dict[str, Host] = field(default_factory=dict)

    @property
    def bridge_address(self) -> str:
        return str(self.subnet.network_address + 1)

    def add_host(self, name: str) -> Host:
        index = len(self.hosts)
        namespace = f"rt-mh-{self.token}-{name}"
        outside, inside = f"{self.bridge}h{index}", f"{self.bridge}n{index}"  # <= 15 chars
        address = str(self.subnet.network_address + 2 + index)
        try:
            _ip("netns", "add", namespace)
        except RuntimeError as exc:
            raise NamespacesUnavailable(str(exc)) from exc
        host = Host(name, namespace, address)
        self.hosts[name] = host
        _ip("link", "add", outside, "type", "veth", "peer", "name", inside)
        _ip("link", "set", inside, "netns", namespace)
        _ip("link", "set", outside, "master", self.bridge, "up")
        _ip("-n", namespace, "addr", "add", f"{address}/{self.subnet.prefixlen}", "dev", inside)
        _ip("-n", namespace, "link", "set", inside, "up")
        _ip("-n", namespace, "link", "set", "lo", "up")
        return host

    def close(self) -> list[str]:
        """Kill each host's processes, delete its namespace (which takes its veth pair with
        it) and the bridge. Goes on past failures; returns them."""
        errors: list[str] = []
        for host in self.hosts.values():
            for step in (host.kill_all, lambda h=host: _ip("netns", "del", h.namespace)):
                try:
                    step()
                except Exception as exc:  # noqa: BLE001 (clean up the rest regardless)
                    errors.append(f"{host.name}: {exc}")
        try:
            _ip("link", "del", self.bridge)
        except RuntimeError as exc:
            errors.append(f"bridge {self.bridge}: {exc}")
        return errors


def open_lab() -> Lab:
    """A bridge with the first address of a free /24, up; hosts are added with `add_host`."""
    token = secrets.token_hex(3)
    subnet = free_subnet()
    lab = Lab(token, subnet, f"rtmh{token}")
    _ip("link", "add", lab.bridge, "type", "bridge")
    try:
        _ip("addr", "add", f"{lab.bridge_address}/{subnet.prefixlen}", "dev", lab.bridge)
        _ip("link", "set", lab.bridge, "up")
    except RuntimeError:
        lab.close()
        raise
    return lab


def namespace_names() -> list[str]:
    """Every network namespace on the machine (`ip netns list`)."""
    return [line.split()[0] for line in _ip("netns", "list").splitlines() if line.strip()]
