"""The new user's path: `swf demo` on `swf local`'s endpoint, then list, history, profile."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from click.testing import CliRunner

from swf.cli import cli
from swf.local import DUMMY_CREDENTIALS, LocalSWF

pytestmark = pytest.mark.e2e  # a moto server on 127.0.0.1


def test_demo_on_a_local_endpoint_then_inspect_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name, value in DUMMY_CREDENTIALS.items():
        monkeypatch.setenv(name, value)
    runner = CliRunner()
    with LocalSWF() as local:
        base = ["--endpoint-url", local.endpoint_url]
        demo = runner.invoke(cli, [*base, "demo"], catch_exceptions=False)
        assert demo.exit_code == 0, demo.output
        assert "(COMPLETED)" in demo.stdout

        listed = runner.invoke(cli, [*base, "-d", "swf-demo", "-o", "json", "execution", "list"])
        (execution,) = json.loads(listed.stdout)
        assert execution["close_status"] == "COMPLETED"
        workflow_id = execution["workflow_id"]
        assert demo.stdout.startswith(f"Started execution {workflow_id}")

        compiled = runner.invoke(
            cli, [*base, "-d", "swf-demo", "-o", "json", "history", workflow_id, "--compiled"]
        )
        data = json.loads(compiled.stdout)
        assert data["workflow"]["state"] == "completed"
        assert data["activities"]["double-3"]["attempts"] == 2
        assert data["timers"]["settle"]["state"] == "fired"

        svg = tmp_path / "out.svg"
        profile = runner.invoke(
            cli, [*base, "-d", "swf-demo", "profile", workflow_id, "--svg", str(svg)]
        )
        assert profile.exit_code == 0, profile.output
        assert f"{workflow_id}: completed" in profile.stdout
        root = ET.parse(svg).getroot()
        ns = {"s": "http://www.w3.org/2000/svg"}
        assert len(root.findall(".//s:rect[@class='run']", ns)) == 9  # 7 activities + retry + timer
        assert len(root.findall(".//s:path[@class='failure']", ns)) == 1  # double-3's first try

        again = runner.invoke(cli, [*base, "demo"], catch_exceptions=False)
        assert again.exit_code == 0  # the domain and types exist: reused
