"""Where network namespaces cannot be made, the multi-host tests are skipped with the reason,
found by trying (`ip netns add`), not guessed."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest

from tests.multihost.cluster import ROOT

PROBE = "from tests.multihost.netns import unavailable_reason; print(unavailable_reason())"


def _reason_in(*wrapper: str, env: dict[str, str] | None = None) -> str:
    result = subprocess.run([*wrapper, sys.executable, "-c", PROBE], capture_output=True,
                            text=True, cwd=ROOT, env=env, timeout=60)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_refused_namespace_gives_the_reason() -> None:
    """`unshare -r`: root in a user namespace of its own, which may not mount /run/netns."""
    if shutil.which("unshare") is None:
        pytest.skip("no unshare command")
    probe = subprocess.run(["unshare", "-r", "true"], capture_output=True, timeout=30)
    if probe.returncode != 0:
        pytest.skip("unshare -r refused here")
    reason = _reason_in("unshare", "-r")
    assert reason.startswith("cannot make a network namespace: ip netns add rt-mh-probe-")


def test_missing_ip_command_gives_the_reason() -> None:
    reason = _reason_in(env={"PATH": "/nonexistent", "PYTHONPATH": str(ROOT)})
    if os.geteuid() != 0:  # checked first: without root nothing else matters
        assert reason == "network namespaces need root (ip netns add)"
    else:
        assert reason == "no `ip` command (iproute2) to make network namespaces"
