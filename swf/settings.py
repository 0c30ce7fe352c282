"""Where swf finds its region, credentials, endpoint and retry policy.

Precedence, strongest first:

1. explicit arguments (``Connection(region=...)``, ``swf.settings.get(region=...)``);
2. :func:`set` (``swf.settings.set(region="eu-west-1")``);
3. the environment: ``AWS_ACCESS_KEY_ID``, ``AWS_SECRET_ACCESS_KEY``, ``AWS_SESSION_TOKEN``,
   ``AWS_DEFAULT_REGION`` (or ``AWS_REGION``), ``AWS_PROFILE``, ``SWF_ENDPOINT_URL``,
   ``SWF_CONNECTION_RETRIES``, ``SWF_RETRY_MODE``, ``SWF_DOMAIN``;
4. the file ``~/.swf`` (or ``$SWF_CONFIG_FILE``), an INI file::

       [credentials]
       aws_access_key_id = ...
       aws_secret_access_key = ...

       [defaults]
       region = eu-west-1
       endpoint_url = http://127.0.0.1:5000
       domain = media
       retries = 5

5. whatever boto3 finds by itself (its own config files, instance roles...).

Secrets are never shown: :class:`Settings` leaves them out of its repr.
"""

from __future__ import annotations

import configparser
import os
import re
import threading
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import attrs

from swf.exceptions import ConfigurationError, InvalidTypeError

__all__ = [
    "RETRY_MODES",
    "Settings",
    "from_env",
    "from_file",
    "generation",
    "get",
    "reset",
    "set",
]

#: botocore's retry modes (``legacy`` is left out: it retries fewer errors).
RETRY_MODES = ("standard", "adaptive")

_REGION = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


def _optional_str(value: Any) -> str | None:
    return None if value in (None, "") else str(value)


def _retries(value: Any) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise ConfigurationError(f"retries must be a whole number, got {value!r}") from None
    if isinstance(value, float) and value != number:
        raise ConfigurationError(f"retries must be a whole number, got {value!r}")
    if number < 0:
        raise ConfigurationError(f"retries must be 0 or more, got {value!r}")
    return number


def _seconds(name: str) -> Any:
    def convert(value: Any) -> float:
        try:
            number = float(value)
        except (TypeError, ValueError):
            raise ConfigurationError(f"{name} must be a number of seconds, got {value!r}") from None
        if not number > 0:
            raise ConfigurationError(f"{name} must be positive, got {value!r}")
        return number

    return convert


def _connect_timeout(value: Any) -> float:
    converted: float = _seconds("connect_timeout")(value)
    return converted


def _read_timeout(value: Any) -> float:
    converted: float = _seconds("read_timeout")(value)
    return converted


def _region(value: Any) -> str | None:
    if value in (None, ""):
        return None
    if not isinstance(value, str) or not _REGION.match(value):
        raise ConfigurationError(
            "region must be a region name such as 'eu-west-1' (lower case, digits, "
            f"hyphens), got {value!r}"
        )
    return value


def _endpoint_url(value: Any) -> str | None:
    if value in (None, ""):
        return None
    if not isinstance(value, str) or not value.startswith(("http://", "https://")):
        raise ConfigurationError(f"endpoint_url must be an http:// or https:// URL, got {value!r}")
    return value


def _retry_mode(value: Any) -> str:
    if value not in RETRY_MODES:
        raise ConfigurationError(f"retry_mode must be one of {RETRY_MODES}, got {value!r}")
    return str(value)


@attrs.frozen(kw_only=True)
class Settings:
    """Resolved connection settings.

    Attributes:
        region: the AWS region (``None``: let boto3 decide).
        endpoint_url: another SWF endpoint, such as the local one (``swf local``).
        aws_access_key_id: the access key (never shown).
        aws_secret_access_key: the secret key (never shown).
        aws_session_token: a session token (never shown).
        profile: a boto3 profile name.
        retries: retries after the first attempt, botocore's ``max_attempts``.
        retry_mode: botocore's retry mode, ``standard`` or ``adaptive``.
        connect_timeout: seconds to open a connection.
        read_timeout: seconds to wait for an answer; above SWF's 60 s long polls.
        domain: the default domain, for the command line.
    """

    region: str | None = attrs.field(default=None, converter=_region)
    endpoint_url: str | None = attrs.field(default=None, converter=_endpoint_url)
    aws_access_key_id: str | None = attrs.field(default=None, converter=_optional_str, repr=False)
    aws_secret_access_key: str | None = attrs.field(
        default=None, converter=_optional_str, repr=False
    )
    aws_session_token: str | None = attrs.field(default=None, converter=_optional_str, repr=False)
    profile: str | None = attrs.field(default=None, converter=_optional_str)
    retries: int = attrs.field(default=5, converter=_retries)
    retry_mode: str = attrs.field(default="standard", converter=_retry_mode)
    connect_timeout: float = attrs.field(default=10.0, converter=_connect_timeout)
    read_timeout: float = attrs.field(default=75.0, converter=_read_timeout)
    domain: str | None = attrs.field(default=None, converter=_optional_str)

    def botocore_config(self) -> Any:
        """Return the ``botocore.config.Config`` for these settings (retries and timeouts)."""
        from botocore.config import Config

        return Config(
            retries={"mode": self.retry_mode, "max_attempts": self.retries},
            connect_timeout=self.connect_timeout,
            read_timeout=self.read_timeout,
            max_pool_connections=50,
            user_agent_extra="swf-python",
        )


_NAMES = frozenset(a.name for a in attrs.fields(Settings))
_ENV = {
    "aws_access_key_id": ("AWS_ACCESS_KEY_ID",),
    "aws_secret_access_key": ("AWS_SECRET_ACCESS_KEY",),
    "aws_session_token": ("AWS_SESSION_TOKEN",),
    "region": ("AWS_DEFAULT_REGION", "AWS_REGION"),
    "profile": ("AWS_PROFILE",),
    "endpoint_url": ("SWF_ENDPOINT_URL",),
    "retries": ("SWF_CONNECTION_RETRIES",),
    "retry_mode": ("SWF_RETRY_MODE",),
    "domain": ("SWF_DOMAIN",),
}
_FILE_KEYS = {
    "credentials": ("aws_access_key_id", "aws_secret_access_key", "aws_session_token"),
    "defaults": (
        "region",
        "endpoint_url",
        "profile",
        "retries",
        "retry_mode",
        "connect_timeout",
        "read_timeout",
        "domain",
    ),
}

_lock = threading.Lock()
_overrides: dict[str, Any] = {}
_generation = 0


def _check_names(values: Mapping[str, Any]) -> None:
    unknown = sorted(frozenset(values) - _NAMES)
    if unknown:
        raise InvalidTypeError(
            f"unknown setting {unknown[0]!r}; known: {', '.join(sorted(_NAMES))}",
            argument=unknown[0],
        )


def from_file(path: str | os.PathLike[str] | None = None) -> dict[str, Any]:
    """Read the settings file (``~/.swf`` unless ``path`` or ``$SWF_CONFIG_FILE`` says otherwise).

    Returns:
        The settings found, by name; ``{}`` when the file does not exist.

    Raises:
        ConfigurationError: the file exists but is not a valid INI file.
    """
    if path is None:
        path = os.environ.get("SWF_CONFIG_FILE") or Path.home() / ".swf"
    parser = configparser.ConfigParser()
    try:
        read = parser.read(path, encoding="utf-8")
    except configparser.Error as exc:
        raise ConfigurationError(f"cannot read settings file {str(path)!r}: {exc}") from exc
    if not read:
        return {}
    found: dict[str, Any] = {}
    for section, keys in _FILE_KEYS.items():
        if parser.has_section(section):
            for key in keys:
                value = parser.get(section, key, fallback=None)
                if value not in (None, ""):
                    found[key] = value
    return found


def from_env(environ: Mapping[str, str] | None = None) -> dict[str, Any]:
    """Read the settings from the environment (the variables listed in this module's docstring).

    Returns:
        The settings found, by name.
    """
    environ = os.environ if environ is None else environ
    found: dict[str, Any] = {}
    for key, variables in _ENV.items():
        for variable in variables:
            if environ.get(variable):
                found[key] = environ[variable]
                break
    return found


def set(**values: Any) -> None:
    """Set settings for this process; they beat the environment and ``~/.swf``.

    Passing ``None`` for a name forgets what was set for it. The shared default client is
    rebuilt on next use.

    Raises:
        InvalidTypeError: an unknown setting name (a misspelling).
        ConfigurationError: a value that cannot be used (``retries=0``).
    """
    _check_names(values)
    with _lock:
        candidate = {**_overrides, **values}
        candidate = {k: v for k, v in candidate.items() if v is not None}
        Settings(**candidate)  # validate before keeping anything
        _overrides.clear()
        _overrides.update(candidate)
        _changed()


def reset() -> None:
    """Forget everything given to :func:`set`; the shared client is rebuilt on next use."""
    with _lock:
        _overrides.clear()
        _changed()


def _changed() -> None:
    global _generation
    _generation += 1


def generation() -> int:
    """A number that changes whenever :func:`set` or :func:`reset` is called.

    Whoever caches something built from the settings (the shared default connection of
    :func:`swf.core.get_connection`) compares it to know when to rebuild.
    """
    return _generation


def get(**explicit: Any) -> Settings:
    """Resolve the settings, explicit arguments first (``None`` means "not given").

    Raises:
        InvalidTypeError: an unknown setting name.
        ConfigurationError: a value that cannot be used.
    """
    _check_names(explicit)
    with _lock:
        overrides = dict(_overrides)
    merged: dict[str, Any] = {}
    for layer in (from_file(), from_env(), overrides, explicit):
        merged.update({k: v for k, v in layer.items() if v is not None})
    return Settings(**merged)
