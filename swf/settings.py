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
import math
import os
import re
import threading
import urllib.parse
import warnings
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import attrs

from swf.exceptions import (
    ConfigurationError,
    InvalidSettingError,
    InvalidTypeError,
    ValidationError,
)
from swf.validation import check_name, shorten

__all__ = [
    "MAX_RETRIES",
    "MAX_TIMEOUT",
    "RETRY_MODES",
    "SECRET_NAMES",
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

#: A region name: lower-case words and digits joined by hyphens, not all digits (botocore
#: refuses an all-digit one when it builds the client).
_REGION = re.compile(r"^(?![0-9]+$)[a-z0-9]+(-[a-z0-9]+)*$")
#: botocore's own limit on a region name (its ``validate_region_name``).
_MAX_REGION_LENGTH = 63
#: More retries than this is a mistake (botocore would wait hours between attempts), not a policy.
MAX_RETRIES = 100
#: The longest connect or read timeout, in seconds: a long poll lasts 60 s; more than an hour
#: only hides a dead endpoint (and sockets refuse timeouts beyond a platform limit).
MAX_TIMEOUT = 3600.0
#: The credential settings: their values are never shown, in a repr, a message or a pickle.
SECRET_NAMES = ("aws_access_key_id", "aws_secret_access_key", "aws_session_token")
_UNPRINTABLE = re.compile(r"[\x00-\x20\x7f-\x9f]")


def _text(name: str) -> Any:
    """A converter for an optional string setting (profile): a string without control
    characters, shown in its message when wrong."""

    def convert(value: Any) -> str | None:
        if value is None or value == "":
            return None
        if not isinstance(value, str):
            raise InvalidSettingError(
                f"{name} must be a string, got {type(value).__name__} {shorten(value)}"
            )
        if _UNPRINTABLE.search(value):
            raise InvalidSettingError(
                f"{name} {shorten(value)} contains white space or a control character"
            )
        return value

    return convert


def _secret(name: str) -> Any:
    """A converter for a credential: a string without white space or control characters
    (they would break the request's headers), never shown in a message."""

    def convert(value: Any) -> str | None:
        if value is None or value == "":
            return None
        if not isinstance(value, str):
            raise InvalidSettingError(
                f"{name} must be a string, got {type(value).__name__} (value not shown)"
            )
        if _UNPRINTABLE.search(value):
            raise InvalidSettingError(
                f"{name} contains white space or a control character (value not shown)"
            )
        return value

    return convert


def _profile(value: Any) -> str | None:
    converted: str | None = _text("profile")(value)
    return converted


def _access_key_id(value: Any) -> str | None:
    converted: str | None = _secret("aws_access_key_id")(value)
    return converted


def _secret_access_key(value: Any) -> str | None:
    converted: str | None = _secret("aws_secret_access_key")(value)
    return converted


def _session_token(value: Any) -> str | None:
    converted: str | None = _secret("aws_session_token")(value)
    return converted


def _domain(value: Any) -> str | None:
    if value is None or value == "":
        return None
    try:
        return check_name(value, "domain")
    except ValidationError as exc:
        raise InvalidSettingError(str(exc)) from None


def _whole_number(name: str, value: Any) -> int:
    if isinstance(value, bool):
        raise InvalidSettingError(f"{name} must be a whole number, got {value!r}")
    if isinstance(value, str):
        text = value.strip()
        number = int(text) if re.fullmatch(r"-?[0-9]+", text) else None
    elif isinstance(value, int):
        number = value
    elif isinstance(value, float) and math.isfinite(value) and value == int(value):
        number = int(value)
    else:
        number = None
    if number is None:
        raise InvalidSettingError(f"{name} must be a whole number, got {shorten(value)}")
    return number


def _retries(value: Any) -> int:
    number = _whole_number("retries", value)
    if number < 0:
        raise InvalidSettingError(f"retries must be 0 or more, got {shorten(value)}")
    if number > MAX_RETRIES:
        raise InvalidSettingError(f"retries must be at most {MAX_RETRIES}, got {shorten(value)}")
    return number


def _seconds(name: str) -> Any:
    def convert(value: Any) -> float:
        if isinstance(value, bool):
            raise InvalidSettingError(f"{name} must be a number of seconds, got {value!r}")
        try:
            number = float(value)
        except (TypeError, ValueError, OverflowError):
            raise InvalidSettingError(
                f"{name} must be a number of seconds, got {shorten(value)}"
            ) from None
        if not number > 0:
            raise InvalidSettingError(f"{name} must be positive, got {shorten(value)}")
        if not number <= MAX_TIMEOUT:  # also refuses inf and nan
            raise InvalidSettingError(
                f"{name} must be at most {MAX_TIMEOUT:g} seconds, got {shorten(value)}"
            )
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
    if not isinstance(value, str) or not _REGION.match(value) or len(value) > _MAX_REGION_LENGTH:
        raise InvalidSettingError(
            "region must be a region name such as 'eu-west-1' (lower case, digits, "
            f"hyphens, not only digits, at most {_MAX_REGION_LENGTH} characters), got "
            f"{shorten(value)}"
        )
    return value


def _endpoint_url(value: Any) -> str | None:
    if value in (None, ""):
        return None
    if not isinstance(value, str) or not value.startswith(("http://", "https://")):
        raise InvalidSettingError(
            f"endpoint_url must be an http:// or https:// URL, got {shorten(value)}"
        )
    from botocore.utils import is_valid_endpoint_url, is_valid_ipv6_endpoint_url

    try:
        parts = urllib.parse.urlsplit(value)
        port = parts.port
    except ValueError as exc:  # a port out of 0-65535 or not a number, a broken [IPv6]
        raise InvalidSettingError(
            f"endpoint_url {shorten(value)} is not a valid URL: {exc}"
        ) from None
    if parts.username is not None or parts.password is not None:
        raise InvalidSettingError(
            "endpoint_url must not carry a user name or password (value not shown)"
        )
    if not (is_valid_endpoint_url(value) or is_valid_ipv6_endpoint_url(value)):
        raise InvalidSettingError(
            f"endpoint_url {shorten(value)} has no valid host name (e.g. "
            "'http://127.0.0.1:5000' or 'https://swf.eu-west-1.amazonaws.com')"
        )
    if port == 0:
        raise InvalidSettingError(f"endpoint_url {shorten(value)}: port 0 cannot be connected to")
    return value


def _retry_mode(value: Any) -> str:
    if value not in RETRY_MODES:
        raise InvalidSettingError(f"retry_mode must be one of {RETRY_MODES}, got {shorten(value)}")
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
    aws_access_key_id: str | None = attrs.field(default=None, converter=_access_key_id, repr=False)
    aws_secret_access_key: str | None = attrs.field(
        default=None, converter=_secret_access_key, repr=False
    )
    aws_session_token: str | None = attrs.field(default=None, converter=_session_token, repr=False)
    profile: str | None = attrs.field(default=None, converter=_profile)
    retries: int = attrs.field(default=5, converter=_retries)
    retry_mode: str = attrs.field(default="standard", converter=_retry_mode)
    connect_timeout: float = attrs.field(default=10.0, converter=_connect_timeout)
    read_timeout: float = attrs.field(default=75.0, converter=_read_timeout)
    domain: str | None = attrs.field(default=None, converter=_domain)

    def __reduce_ex__(self, protocol: Any) -> Any:
        """Refuse to pickle (or copy) settings that hold credentials: a pickle would store
        them in clear. Settings without credentials pickle as usual."""
        if any(getattr(self, name) is not None for name in SECRET_NAMES):
            raise InvalidTypeError(
                "Settings holding credentials cannot be pickled: the pickle would store them "
                "in clear; let the other process read them from its own environment or ~/.swf",
                argument="settings",
            )
        return super().__reduce_ex__(protocol)

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

    The file is UTF-8 text, read as is: a ``%`` in a value is a ``%`` (no interpolation).
    Each value is checked as :func:`set` checks it.

    Returns:
        The settings found, by name; ``{}`` when the file does not exist.

    Raises:
        ConfigurationError: the file cannot be read, is not UTF-8, is not a valid INI file,
            or holds a value that cannot be used. The message names the file and the line,
            and never shows the value of a credential.
    """
    if path is None:
        path = os.environ.get("SWF_CONFIG_FILE") or Path.home() / ".swf"
    where = str(path)
    try:
        data = Path(path).read_bytes()
    except FileNotFoundError:
        return {}
    except OSError as exc:
        raise ConfigurationError(
            f"cannot read settings file {where!r}: {exc.strerror or exc}"
        ) from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ConfigurationError(
            f"settings file {where!r}, line {line}: not UTF-8 text "
            f"(byte {exc.object[exc.start]:#04x})"
        ) from None
    parser = configparser.ConfigParser(interpolation=None)
    try:
        parser.read_string(text, source=where)
    except configparser.Error as exc:
        raise ConfigurationError(f"settings file {where!r}, {_parse_problem(exc)}") from None
    for section in parser.sections():  # a misspelt key or section is said, not dropped
        known = _FILE_KEYS.get(section)
        if known is None:
            warnings.warn(
                f"settings file {where!r}: unknown section [{section}] (known: "
                f"{', '.join(f'[{name}]' for name in _FILE_KEYS)}); it is ignored",
                stacklevel=2,
            )
            continue
        for key in parser.options(section):
            if key not in known:
                warnings.warn(
                    f"settings file {where!r}, line {_line_of(text, section, key)}: unknown "
                    f"key {key!r} in [{section}] (known: {', '.join(known)}); it is ignored",
                    stacklevel=2,
                )
    found: dict[str, Any] = {}
    for section, keys in _FILE_KEYS.items():
        if parser.has_section(section):
            for key in keys:
                value = parser.get(section, key, fallback=None)
                if value in (None, ""):
                    continue
                try:
                    Settings(**{key: value})
                except ConfigurationError as exc:
                    at = _line_of(text, section, key)
                    raise ConfigurationError(f"settings file {where!r}, line {at}: {exc}") from None
                found[key] = value
    return found


def _parse_problem(exc: configparser.Error) -> str:
    """Where and what, for a parse error of the settings file, without the line's text (it
    may hold a credential)."""
    if isinstance(exc, configparser.MissingSectionHeaderError):
        return f"line {exc.lineno}: a setting before any [section] header"
    if isinstance(exc, configparser.ParsingError):
        lines = ", ".join(str(number) for number, _ in exc.errors)
        return f"line {lines}: not a 'name = value' line nor a [section] header"
    if isinstance(exc, configparser.DuplicateOptionError):
        return f"line {exc.lineno}: {exc.option!r} given twice in [{exc.section}]"
    if isinstance(exc, configparser.DuplicateSectionError):
        return f"line {exc.lineno}: section [{exc.section}] given twice"
    return f"not a valid INI file ({type(exc).__name__})"


def _line_of(text: str, section: str, key: str) -> int | str:
    """The line where ``key`` is set in ``[section]`` of ``text`` (for messages)."""
    current = None
    for number, line in enumerate(text.splitlines(), 1):
        stripped = line.strip()
        if stripped.startswith("[") and "]" in stripped:
            current = stripped[1 : stripped.index("]")].strip()
        elif current == section and re.split(r"\s*[=:]", stripped, maxsplit=1)[0].lower() == key:
            return number
    return "?"


def from_env(environ: Mapping[str, str] | None = None) -> dict[str, Any]:
    """Read the settings from the environment (the variables listed in this module's docstring).

    Each value is checked as :func:`set` checks it.

    Returns:
        The settings found, by name.

    Raises:
        ConfigurationError: a variable holds a value that cannot be used; the message names
            the variable (and never shows a credential's value).
    """
    environ = os.environ if environ is None else environ
    found: dict[str, Any] = {}
    for key, variables in _ENV.items():
        for variable in variables:
            if environ.get(variable):
                value = environ[variable]
                try:
                    Settings(**{key: value})
                except ConfigurationError as exc:
                    raise ConfigurationError(f"environment variable {variable}: {exc}") from None
                found[key] = value
                break
    return found


def set(**values: Any) -> None:
    """Set settings for this process; they beat the environment and ``~/.swf``.

    Passing ``None`` for a name forgets what was set for it. The shared default client is
    rebuilt on next use.

    Raises:
        InvalidTypeError: an unknown setting name (a misspelling).
        InvalidSettingError: a value that cannot be used (``retries=-1``, an endpoint URL
            without a host, a port over 65535, an infinite timeout); also a
            ``ConfigurationError`` and a ``ValidationError``.
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
