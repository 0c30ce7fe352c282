"""The one place that talks to boto3.

A :class:`Connection` holds a boto3 SWF client and offers :meth:`Connection.call` and
:meth:`Connection.paginate`. They drop ``None`` values from requests, count calls per
operation, and turn every botocore error into one of ours (:mod:`swf.exceptions`), chained
with ``raise ... from``. Nothing else in swf catches a ``ClientError``.

Every model, queryset and actor takes an optional ``client=``: a boto3 client, a
:class:`Connection`, or ``None`` for the shared default connection, built lazily from
:mod:`swf.settings`.
"""

from __future__ import annotations

import collections
import datetime as dt
import logging
import re
import threading
from collections.abc import Iterator, Mapping
from typing import Any

from botocore import xform_name
from botocore.exceptions import (
    BotoCoreError,
    ClientError,
    NoCredentialsError,
    NoRegionError,
    ParamValidationError,
)
from botocore.exceptions import (
    ConnectionError as BotoConnectionError,
)
from botocore.parsers import DEFAULT_TIMESTAMP_PARSER as parse_timestamp

from swf import settings as _settings
from swf.exceptions import (
    AlreadyExistsError,
    ConfigurationError,
    DeprecatedError,
    DoesNotExistError,
    InvalidTypeError,
    NotDeprecatedError,
    ResponseError,
    SWFError,
    TransportError,
    ValidationError,
    WorkflowExecutionAlreadyStartedError,
    describe_subject,
    from_client_error,
)
from swf.validation import shorten, to_utc

__all__ = [
    "ClientLike",
    "ConnectedSWFObject",
    "Connection",
    "build_client",
    "get_connection",
    "install_log_redaction",
    "redact",
    "reset_default_connection",
]

logger = logging.getLogger(__name__)

# -- credentials never reach a log ------------------------------------------------------

#: Loggers whose records are redacted (and their children): botocore logs each request's
#: headers, Authorization included, and its canonical request, security token included.
REDACTED_LOGGERS = ("botocore", "boto3", "urllib3", "s3transfer", "swf")
_REDACTED = "<redacted>"
_PATTERNS = (
    # SigV4's Authorization header: Credential=<key id>/<scope>, ..., Signature=<hex>
    (re.compile(r"(Credential=)[^/,\s'\"]+"), r"\1" + _REDACTED),
    (re.compile(r"(Signature=)[0-9a-fA-F]+"), r"\1" + _REDACTED),
    # access key ids, wherever they appear
    (re.compile(r"\b(?:AKIA|ASIA|AIDA|AROA)[A-Z0-9]{12,}\b"), _REDACTED),
    # the session token: a header value, or a line of the canonical request
    (
        re.compile(r"(x-amz-security-token['\"]?\s*[:=]\s*b?['\"]?)[^'\"\s,}]+", re.IGNORECASE),
        r"\1" + _REDACTED,
    ),
)
_secrets: set[str] = set()
_secrets_lock = threading.Lock()
_installed = False


def redact(text: str) -> str:
    """Return ``text`` with credentials replaced by ``<redacted>``.

    Removes the access key id and signature of SigV4 ``Authorization`` headers, anything
    shaped like an AWS access key id, ``x-amz-security-token`` values, and every credential
    value swf has used to build a client (key id, secret, session token).
    """
    for pattern, replacement in _PATTERNS:
        text = pattern.sub(replacement, text)
    for secret in tuple(_secrets):
        if secret in text:
            text = text.replace(secret, _REDACTED)
    return text


def _remember_secrets(*values: str | None) -> None:
    with _secrets_lock:
        _secrets.update(v for v in values if v and len(v) >= 8)


def install_log_redaction() -> None:
    """Redact credentials from the records of :data:`REDACTED_LOGGERS` (done on import).

    Wraps the logging record factory, so it works whatever handlers, formatters or levels
    the application configures, including DEBUG: a record of those loggers has its message
    formatted at once and passed through :func:`redact` (its ``args`` become empty). Other
    loggers' records are untouched. Installing twice does nothing.
    """
    global _installed
    with _secrets_lock:
        if _installed:
            return
        _installed = True
    previous = logging.getLogRecordFactory()

    def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = previous(*args, **kwargs)
        name = record.name
        if name.split(".", 1)[0] in REDACTED_LOGGERS:
            try:
                message = record.getMessage()
            except Exception:  # a broken format string: leave it to logging's own report
                return record
            record.msg = redact(message)
            record.args = ()
        return record

    logging.setLogRecordFactory(factory)


install_log_redaction()

#: What ``client=`` accepts: a boto3 SWF client, a :class:`Connection`, or None (the default).
ClientLike = Any

Overrides = Mapping[type[ResponseError], type[ResponseError]]

#: When botocore retried a request whose first answer was lost (a dropped connection, a
#: timeout) after SWF had applied it, SWF answers the retry as if someone else had done it
#: first. For these operations that answer, *on a retry only*, means our call succeeded.
#: Not in the table, because SWF cannot tell a repeat from a new call: SignalWorkflowExecution
#: (a lost answer can record the signal twice; see docs/reliability.rst).
APPLIED_ON_RETRY: Mapping[str, type[ResponseError]] = {
    "RegisterDomain": AlreadyExistsError,
    "RegisterWorkflowType": AlreadyExistsError,
    "RegisterActivityType": AlreadyExistsError,
    "UndeprecateDomain": NotDeprecatedError,
    "UndeprecateWorkflowType": NotDeprecatedError,
    "UndeprecateActivityType": NotDeprecatedError,
    "DeprecateDomain": DeprecatedError,
    "DeprecateWorkflowType": DeprecatedError,
    "DeprecateActivityType": DeprecatedError,
    "StartWorkflowExecution": WorkflowExecutionAlreadyStartedError,
    "RespondDecisionTaskCompleted": DoesNotExistError,
    "RespondActivityTaskCompleted": DoesNotExistError,
    "RespondActivityTaskFailed": DoesNotExistError,
    "RespondActivityTaskCanceled": DoesNotExistError,
    "TerminateWorkflowExecution": DoesNotExistError,
}


def _retry_attempts(value: Any) -> int:
    """How many times botocore retried the request behind a response or a ClientError."""
    response = value if isinstance(value, Mapping) else getattr(value, "response", None)
    metadata = (response or {}).get("ResponseMetadata") or {}
    return int(metadata.get("RetryAttempts") or 0)


def _drop_none(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {k: _drop_none(v) for k, v in value.items() if v is not None}
    if isinstance(value, list | tuple):
        return [_drop_none(v) for v in value]
    return value


class Connection:
    """A boto3 SWF client with error mapping, ``None`` dropping and call counting.

    Args:
        client: a boto3 SWF client to use as is; when omitted one is built from the settings.
        **settings: explicit settings (:class:`swf.settings.Settings` names), stronger than
            everything else.

    Attributes:
        calls: the number of requests made, per operation name (a ``Counter``).
        retries: the number of retries botocore made, per operation name (a ``Counter``).
    """

    def __init__(self, client: Any = None, **settings: Any) -> None:
        if settings:
            _settings.get(**settings)  # unknown names and bad values fail here, not later
        self._client = client
        self._explicit = settings
        self._lock = threading.Lock()
        self._methods: dict[str, Any] = {}
        self.calls: collections.Counter[str] = collections.Counter()
        self.retries: collections.Counter[str] = collections.Counter()

    def __repr__(self) -> str:
        where = getattr(getattr(self._client, "meta", None), "endpoint_url", None)
        return f"<Connection {where or '(not connected)'}>"

    @property
    def settings(self) -> _settings.Settings:
        """The resolved settings (explicit arguments, then swf.settings, env, ~/.swf)."""
        return _settings.get(**self._explicit)

    @property
    def client(self) -> Any:
        """The boto3 SWF client, built on first use."""
        if self._client is None:
            with self._lock:
                if self._client is None:
                    self._client = self._build_client()
        return self._client

    def _build_client(self) -> Any:
        return build_client(self.settings)

    def _method(self, operation: str) -> Any:
        method = self._methods.get(operation)
        if method is None:
            client = self.client
            if operation not in client.meta.service_model.operation_names:
                raise ValidationError(
                    f"operation {operation!r} is not an SWF operation (e.g. 'DescribeDomain')",
                    argument="operation",
                    value=operation,
                )
            method = self._methods[operation] = getattr(client, xform_name(operation))
        return method

    def call(
        self,
        operation: str,
        params: Mapping[str, Any] | None = None,
        /,
        *,
        overrides: Overrides | None = None,
        **kwargs: Any,
    ) -> dict[str, Any]:
        """Make one SWF request and return its response.

        Args:
            operation: the SWF operation name, e.g. ``'DescribeDomain'``.
            params: the request parameters (``None`` values are dropped, also nested).
            overrides: a more specific exception class to raise in place of a mapped one.
            **kwargs: more request parameters.

        Returns:
            The response dict, without ``ResponseMetadata``.

        Raises:
            ResponseError: SWF answered with an error (a subclass, by error code).
            TransportError: the endpoint could not be reached.
            ConfigurationError: no credentials or region.
            ValidationError: an unknown operation, or parameters botocore refuses (then
                nothing is sent and ``calls`` does not count it).
        """
        request = _drop_none({**(params or {}), **kwargs})
        method = self._method(operation)
        self.calls[operation] += 1
        logger.debug("SWF %s %s", operation, describe_subject(request, operation)[0])
        try:
            response: dict[str, Any] = method(**request)
        except Exception as exc:
            if isinstance(exc, ParamValidationError):
                self.calls[operation] -= 1  # botocore refused it: nothing was sent
            error = self._translate(exc, operation, request, overrides)
            retried = self._count_retries(operation, exc)
            applied = APPLIED_ON_RETRY.get(operation)
            if retried and applied is not None and isinstance(error, applied):
                return self._applied_on_retry(operation, request, error)
            raise error from exc
        self._count_retries(operation, response)
        response.pop("ResponseMetadata", None)
        return response

    def _count_retries(self, operation: str, response_or_error: Any) -> int:
        retried = _retry_attempts(response_or_error)
        if retried:
            self.retries[operation] += retried
            logger.info("SWF %s: %d retries", operation, retried)
        return retried

    def _applied_on_retry(
        self, operation: str, request: Mapping[str, Any], error: ResponseError
    ) -> dict[str, Any]:
        """Our retry found the request already applied: answer as the first attempt would have."""
        logger.warning(
            "SWF %s was applied before botocore's retry (%s): taking it as done",
            operation,
            error.code,
        )
        if operation != "StartWorkflowExecution":
            return {}
        # The lost answer carried the run id: find the open run of that workflow id.
        listing = self.call(
            "ListOpenWorkflowExecutions",
            domain=request["domain"],
            startTimeFilter={"oldestDate": 0},
            executionFilter={"workflowId": request["workflowId"]},
        )
        for info in listing.get("executionInfos", ()):
            if info["execution"]["workflowId"] == request["workflowId"]:
                return {"runId": info["execution"]["runId"]}
        raise error

    def paginate(
        self,
        operation: str,
        params: Mapping[str, Any] | None = None,
        /,
        *,
        page_size: int | None = None,
        starting_token: str | None = None,
        overrides: Overrides | None = None,
        **kwargs: Any,
    ) -> Iterator[dict[str, Any]]:
        """Iterate over the pages of a paginated operation, fetching each only when needed.

        Uses botocore's paginator (``nextPageToken`` handling); each page counts as a call.

        Args:
            operation: the SWF operation name, e.g. ``'ListDomains'``.
            params: the request parameters (``None`` values are dropped, also nested).
            page_size: items per page (the paginator's ``PageSize``: SWF's
                ``maximumPageSize``).
            starting_token: resume a listing at this ``nextPageToken`` (``StartingToken``).
            overrides: a more specific exception class to raise in place of a mapped one.
            **kwargs: more request parameters.

        Yields:
            Each response page, without ``ResponseMetadata``.

        Raises:
            The same as :meth:`call`, when a page is fetched.
        """
        request = _drop_none({**(params or {}), **kwargs})
        config = _drop_none({"PageSize": page_size, "StartingToken": starting_token})
        try:
            paginator = self.client.get_paginator(xform_name(operation))
            pages = iter(paginator.paginate(**request, PaginationConfig=config))
        except Exception as exc:
            raise self._translate(exc, operation, request, overrides) from exc
        while True:
            self.calls[operation] += 1
            logger.debug("SWF %s (page) %s", operation, describe_subject(request, operation)[0])
            try:
                page = next(pages)
            except StopIteration:
                self.calls[operation] -= 1  # the paginator ended without a request
                return
            except Exception as exc:
                self._count_retries(operation, exc)
                raise self._translate(exc, operation, request, overrides) from exc
            self._count_retries(operation, page)
            page.pop("ResponseMetadata", None)
            yield page

    @staticmethod
    def _translate(
        exc: Exception,
        operation: str,
        request: Mapping[str, Any],
        overrides: Overrides | None,
    ) -> Exception:
        if isinstance(exc, SWFError):
            return exc
        if isinstance(exc, ClientError):
            return from_client_error(exc, operation, request, overrides)
        subject = describe_subject(request, operation)[0] or "the request"
        if isinstance(exc, ParamValidationError):
            return ValidationError(f"{operation} for {subject}: {exc}")
        if isinstance(exc, NoCredentialsError | NoRegionError):
            return ConfigurationError(f"{operation} for {subject}: {exc}")
        if isinstance(exc, BotoConnectionError | BotoCoreError):
            return TransportError(f"{operation} for {subject}: {exc}")
        return exc


def _utc_timestamp(value: Any) -> dt.datetime:
    """botocore's timestamp parser, giving aware UTC datetimes.

    SWF sends seconds since the epoch; botocore's own parser gives each timestamp a
    ``tzlocal()``, which every reader then has to convert.
    """
    if isinstance(value, int | float) and not isinstance(value, bool):
        try:
            return dt.datetime.fromtimestamp(value, dt.timezone.utc)
        except (OverflowError, OSError, ValueError):
            pass  # out of the platform's range: botocore's parser has a fallback
    return to_utc(parse_timestamp(value))


def build_client(settings: _settings.Settings | None = None) -> Any:
    """Build a boto3 SWF client from settings: the one place swf builds a client.

    Retries and timeouts are botocore's (:meth:`swf.settings.Settings.botocore_config`), and
    timestamps in responses are parsed as aware UTC datetimes. The credentials used are
    remembered so that :func:`redact` removes them from logs.

    Args:
        settings: the resolved settings (default: :func:`swf.settings.get`).

    Raises:
        ConfigurationError: no region, or botocore cannot build the client.
    """
    import boto3
    import botocore.session

    resolved = _settings.get() if settings is None else settings
    _remember_secrets(
        resolved.aws_access_key_id, resolved.aws_secret_access_key, resolved.aws_session_token
    )
    try:
        core_session = botocore.session.get_session()
        core_session.get_component("response_parser_factory").set_parser_defaults(
            timestamp_parser=_utc_timestamp
        )
        session = boto3.session.Session(
            aws_access_key_id=resolved.aws_access_key_id,
            aws_secret_access_key=resolved.aws_secret_access_key,
            aws_session_token=resolved.aws_session_token,
            region_name=resolved.region,
            profile_name=resolved.profile,
            botocore_session=core_session,
        )
        return session.client(
            "swf", endpoint_url=resolved.endpoint_url, config=resolved.botocore_config()
        )
    except NoRegionError as exc:
        raise ConfigurationError(
            "no AWS region: pass region=, call swf.settings.set(region=...), "
            "or set AWS_DEFAULT_REGION"
        ) from exc
    except BotoCoreError as exc:
        raise ConfigurationError(f"cannot build the SWF client: {exc}") from exc


_default_lock = threading.Lock()
#: The shared default connection, and the settings generation it was built for.
_default: tuple[Connection, int] | None = None


def _check_client(client: Any) -> Any:
    """``client`` if it is a boto3 (botocore) SWF client; otherwise our error, naming it."""
    service = getattr(
        getattr(getattr(client, "meta", None), "service_model", None), "service_name", None
    )
    if service == "swf":
        return client
    if isinstance(service, str):
        got = f"a boto3 {service!r} client"
    else:
        got = f"{type(client).__name__} {shorten(client)}"
    raise InvalidTypeError(
        f"client must be a boto3 SWF client, a swf.core.Connection or None, got {got}",
        argument="client",
        value=client,
    )


def get_connection(client: ClientLike = None) -> Connection:
    """Return the :class:`Connection` for a ``client=`` argument.

    Args:
        client: a :class:`Connection` (returned as is), a boto3 SWF client (wrapped), or
            ``None`` for the shared default connection (rebuilt after
            :func:`swf.settings.set` or :func:`swf.settings.reset`).

    Raises:
        InvalidTypeError: ``client`` is none of these (a region name, another service's
            client...).
    """
    global _default
    if isinstance(client, Connection):
        return client
    if client is not None:
        return Connection(_check_client(client))
    current = _default
    generation = _settings.generation()
    if current is None or current[1] != generation:
        with _default_lock:
            current = _default
            if current is None or current[1] != generation:
                current = _default = (Connection(), generation)
    return current[0]


def reset_default_connection() -> None:
    """Drop the shared default connection; the next use builds it from the current settings."""
    global _default
    with _default_lock:
        _default = None


class ConnectedSWFObject:
    """Base of the objects that talk to SWF (querysets, actors).

    Args:
        client: a boto3 SWF client, a :class:`Connection`, or ``None`` for the default.
    """

    def __init__(self, *, client: ClientLike = None) -> None:
        self.connection = get_connection(client)
