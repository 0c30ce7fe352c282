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
