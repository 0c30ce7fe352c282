from __future__ import annotations

import subprocess
import sys

import pytest

import swf


@pytest.mark.parametrize("name", sorted(swf._LAZY))
def test_everyday_names_are_reexported(name: str) -> None:
    value = getattr(swf, name)
    assert value.__name__ == name
    assert name in swf.__all__


def test_unknown_name_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="'Nope'"):
        swf.Nope  # noqa: B018


def test_import_swf_loads_no_model_until_asked() -> None:
    code = "import sys, swf; print('swf.models' in sys.modules, 'swf.actors' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]


def test_py_typed_ships() -> None:
    from importlib.resources import files

    assert files("swf").joinpath("py.typed").is_file()


def test_the_metadata_has_a_license_file_and_project_urls() -> None:
    from importlib.metadata import metadata
    from pathlib import Path

    data = metadata("swf")
    assert data["License"] == "MIT"
    assert data.get_all("License-File") == ["LICENSE"]
    urls = dict(url.split(", ", 1) for url in data.get_all("Project-URL") or ())
    assert set(urls) == {"Documentation", "Source", "Changelog"}
    assert all(url.startswith("https://") for url in urls.values())
    license_text = (Path(__file__).parents[2] / "LICENSE").read_text()
    assert license_text.startswith("MIT License") and "WITHOUT WARRANTY" in license_text


def test_the_local_extra_installs_moto() -> None:
    from importlib.metadata import requires

    local = [r for r in requires("swf") or () if 'extra == "local"' in r]
    assert [r.split(";")[0].strip() for r in local] == ["moto[server]==5.2.1"]


def test_a_missing_extra_is_one_line_naming_it(monkeypatch: pytest.MonkeyPatch) -> None:
    from click.testing import CliRunner

    from swf.cli import cli
    from swf.extras import MissingExtraError, require

    monkeypatch.setitem(sys.modules, "moto", None)  # as on a plain install: no moto
    with pytest.raises(MissingExtraError) as caught:
        require("local", "swf local")
    assert (
        str(caught.value)
        == "swf local needs moto, which is not installed: pip install 'swf[local]'"
    )
    assert isinstance(caught.value, ImportError) and caught.value.extra == "local"
    for command in ("local", "demo"):
        result = CliRunner().invoke(cli, [command])
        assert result.exit_code == 1
        assert result.stderr == (
            f"Error: swf {command} needs moto, which is not installed: pip install 'swf[local]'\n"
        )
