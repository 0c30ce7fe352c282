from __future__ import annotations

import os
from pathlib import Path

import pytest

from swf import settings
from swf.core import Connection, get_connection
from swf.exceptions import ConfigurationError, InvalidTypeError


def write_config(tmp_path: Path, text: str) -> None:
    path = tmp_path / "swf.ini"
    path.write_text(text)
    os.environ["SWF_CONFIG_FILE"] = str(path)


def test_environment_is_read() -> None:
    os.environ["SWF_ENDPOINT_URL"] = "http://127.0.0.1:9"
    os.environ["SWF_CONNECTION_RETRIES"] = "7"
    os.environ["SWF_DOMAIN"] = "media"
    resolved = settings.get()
    assert resolved.region == "us-east-1"
    assert resolved.endpoint_url == "http://127.0.0.1:9"
    assert resolved.retries == 7
    assert resolved.domain == "media"


def test_precedence_explicit_then_set_then_env_then_file(tmp_path: Path) -> None:
    write_config(tmp_path, "[defaults]\nregion = from-file\ndomain = file-domain\nretries = 3\n")
    os.environ.pop("AWS_DEFAULT_REGION")
    assert settings.get().region == "from-file"
    assert settings.get().retries == 3
    os.environ["AWS_DEFAULT_REGION"] = "from-env"
    assert settings.get().region == "from-env"
    settings.set(region="from-set")
    assert settings.get().region == "from-set"
    assert settings.get(region="explicit").region == "explicit"
    assert settings.get().domain == "file-domain"
    settings.set(region=None)
    assert settings.get().region == "from-env"


def test_credentials_from_file_are_never_shown(tmp_path: Path) -> None:
    write_config(
        tmp_path,
        "[credentials]\naws_access_key_id = AKIAFILEKEY\naws_secret_access_key = FILESECRET\n",
    )
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"):
        os.environ.pop(name)
    resolved = settings.get()
    assert resolved.aws_access_key_id == "AKIAFILEKEY"
    assert resolved.aws_secret_access_key == "FILESECRET"
    assert "FILESECRET" not in repr(resolved)
    assert "AKIAFILEKEY" not in repr(resolved)


def test_broken_file_is_a_configuration_error(tmp_path: Path) -> None:
    write_config(tmp_path, "this is not ini\n[")
    with pytest.raises(ConfigurationError, match="swf.ini"):
        settings.get()


def test_unknown_setting_is_refused() -> None:
    with pytest.raises(InvalidTypeError, match="'regoin'"):
        settings.set(regoin="eu-west-1")


@pytest.mark.parametrize(
    ("name", "value"), [("retries", -1), ("retries", "many"), ("retry_mode", "legacy")]
)
def test_bad_values_are_refused_and_nothing_is_kept(name: str, value: object) -> None:
    with pytest.raises(ConfigurationError, match=repr(value)):
        settings.set(**{name: value})
    assert settings.get().retries == 5


def test_botocore_config_carries_retries_and_long_poll_timeout() -> None:
    config = settings.get(retries=9, retry_mode="adaptive").botocore_config()
    assert config.retries == {"mode": "adaptive", "max_attempts": 9}
    assert config.read_timeout > 70


def test_default_connection_is_shared_and_rebuilt_after_set() -> None:
    first = get_connection()
    assert get_connection() is first
    settings.set(endpoint_url="http://127.0.0.1:1")
    second = get_connection()
    assert second is not first
    assert second.client.meta.endpoint_url == "http://127.0.0.1:1"


def test_explicit_connection_arguments_win() -> None:
    settings.set(region="eu-west-1")
    connection = Connection(region="ap-south-1")
    assert connection.client.meta.region_name == "ap-south-1"
    assert "secret" not in repr(connection).lower()


def test_missing_region_is_a_configuration_error() -> None:
    os.environ.pop("AWS_DEFAULT_REGION")
    with pytest.raises(ConfigurationError, match="region"):
        Connection().client  # noqa: B018


def test_unknown_keys_and_sections_of_the_file_are_said_never_dropped(tmp_path: Path) -> None:
    import warnings

    path = tmp_path / "swf.ini"
    path.write_text(
        "[defaults]\nregion = eu-west-1\nregoin = us-east-1\n[credential]\nx = y\n",
        encoding="utf-8",
    )
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        found = settings.from_file(path)
    assert found == {"region": "eu-west-1"}
    messages = [str(w.message) for w in caught]
    assert any("line 3: unknown key 'regoin' in [defaults]" in m for m in messages)
    assert any("unknown section [credential]" in m for m in messages)
    assert all("us-east-1" not in m and "= y" not in m for m in messages)  # no value shown
