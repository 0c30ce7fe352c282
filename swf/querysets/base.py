"""The QuerySet base: a lazy, immutable description of a listing.

Methods that return a new QuerySet (nothing is sent): :meth:`QuerySet.all`,
:meth:`~QuerySet.filter` (in subclasses), :meth:`~QuerySet.limit`, :meth:`~QuerySet.page_size`,
slicing ``qs[:n]`` / ``qs[a:b]``.

Methods that send requests: iteration, :meth:`~QuerySet.values` (raw dicts, no models),
:meth:`~QuerySet.pages`, :meth:`~QuerySet.count`,
:meth:`~QuerySet.exists`, :meth:`~QuerySet.first`, ``qs[i]``, and the subclasses' ``get``,
``create`` and ``get_or_create``.

There is no result cache: ``list(qs)`` is the snapshot. There is no ``__len__`` either:
:meth:`~QuerySet.count` says that it costs requests.
"""

from __future__ import annotations

import copy
import functools
import inspect
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from itertools import chain
from typing import Any, ClassVar, Generic, TypeVar, cast, overload

import attrs

from swf import constants
from swf.core import ClientLike, Connection, get_connection
from swf.exceptions import DoesNotExistError, InvalidTypeError, ResponseError, ValidationError
from swf.models.base import to_name, to_status, to_version
from swf.models.domain import Domain, to_domain
from swf.models.type import TypeModel

__all__ = ["InDomainQuerySet", "Page", "QuerySet", "Request", "TypeQuerySet", "named_filters"]

_T = TypeVar("_T")
_TypeT = TypeVar("_TypeT", bound="TypeModel")
_Q = TypeVar("_Q", bound="QuerySet[Any]")


@attrs.frozen
class Page(Generic[_T]):
    """One page of a listing.

    Attributes:
        items: the models of the page (after the client-side re-check of the filters).
        next_token: SWF's ``nextPageToken``, to resume with ``pages(next_token=...)``; ``None``
            on the last page.
        operation: the SWF operation that returned the page.
    """

    items: tuple[_T, ...]
    next_token: str | None
    operation: str

    def __iter__(self) -> Iterator[_T]:
        """Iterate over the page's models: ``for model in page``."""
        return iter(self.items)

    def __len__(self) -> int:
        """How many models the page holds."""
        return len(self.items)

    @overload
    def __getitem__(self, index: int) -> _T: ...

    @overload
    def __getitem__(self, index: slice) -> tuple[_T, ...]: ...

    def __getitem__(self, index: int | slice) -> _T | tuple[_T, ...]:
        """``page[0]``, ``page[:3]``."""
        return self.items[index]


_F = TypeVar("_F", bound=Callable[..., Any])


def named_filters(method: _F) -> _F:
    """Make a ``filter`` method refuse an unknown filter with the filters it knows.

    Python's own ``TypeError`` (``filter() got an unexpected keyword argument 'bogus'``)
    becomes :class:`~swf.exceptions.InvalidTypeError` (a ``TypeError`` and a
    ``ValidationError``) naming the filter and the known ones; the method's signature, and
    so type checking, is unchanged.
    """
    signature = inspect.signature(method)
    known = [
        name
        for name, parameter in signature.parameters.items()
        if parameter.kind is inspect.Parameter.KEYWORD_ONLY
    ]

    @functools.wraps(method)
    def checked(self: Any, *args: Any, **filters: Any) -> Any:
        unknown = [name for name in filters if name not in known]
        if args or unknown:
            name = unknown[0] if unknown else None
            what = f"no filter {name!r}" if name else "keyword filters only"
            raise InvalidTypeError(
                f"{type(self).__name__}.filter() takes {what}; its filters: {', '.join(known)}",
                argument=name or "args",
                value=filters[name] if name else args,
            )
        return method(self, **filters)

    return cast(_F, checked)


@attrs.frozen
class Request:
    """One listing request: operation, parameters, result key."""

    operation: str
    params: Mapping[str, Any]
    result_key: str


def _identity(items: Sequence[Mapping[str, Any]]) -> Iterable[Any]:
    return items


def _check_count(value: Any, argument: str, *, minimum: int = 0) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidTypeError(
            f"{argument} must be an int, got {type(value).__name__} {value!r:.80}",
            argument=argument,
            value=value,
        )
    if value < minimum:
        raise ValidationError(
            f"{argument} must be at least {minimum}, got {value}", argument=argument, value=value
        )
    return value


class QuerySet(Generic[_T]):
    """Base of the QuerySets: lazy, chainable, immutable listings of one model.

    Args:
        client: a boto3 SWF client, a :class:`~swf.core.Connection`, or ``None`` for the
            default connection.

    Attributes:
        connection: the :class:`~swf.core.Connection` used.
    """

    #: The model class listed.
    model: ClassVar[type[Any]]

    def __init__(self, *, client: ClientLike = None) -> None:
        self.connection: Connection = get_connection(client)
        self._filters: dict[str, Any] = {}
        self._offset = 0
        self._limit: int | None = None
        self._page_size: int = constants.MAX_PAGE_SIZE
        self._keep_built: tuple[Callable[[Mapping[str, Any]], bool] | None] | None = None

    # -- subclass hooks -------------------------------------------------------------------

    def _requests(self) -> list[Request]:
        """The listing requests, in order (executions with no status list open, then closed)."""
        raise NotImplementedError

    def _builder(self) -> Callable[[Mapping[str, Any]], _T]:
        """A function turning one listed item into a model."""
        raise NotImplementedError

    def _page_builder(self) -> Callable[[Sequence[Mapping[str, Any]]], Iterable[_T]]:
        """A function turning the items of one page into models."""
        build = self._builder()
        return lambda items: map(build, items)

    def _predicate(self) -> Callable[[Mapping[str, Any]], bool] | None:
        """A client-side re-check of the filters on a raw item, or None when nothing to check."""
        return None

    def _describe(self) -> str:
        """What the queryset lists, for ``repr`` (e.g. ``"domain 'media'"``)."""
        return ""

    # -- returns a new QuerySet -----------------------------------------------------------

    def _clone(self: _Q, **filters: Any) -> _Q:
        clone = copy.copy(self)
        clone._filters = {**self._filters, **filters}
        clone._keep_built = None
        return clone

    def all(self: _Q) -> _Q:
        """Return a copy of this QuerySet (nothing is sent)."""
        return self._clone()

    def limit(self: _Q, count: int) -> _Q:
        """Return a QuerySet yielding at most ``count`` items (fewer pages fetched too)."""
        clone = self._clone()
        count = _check_count(count, "limit")
        clone._limit = count if self._limit is None else min(count, self._limit)
        return clone

    def page_size(self: _Q, size: int) -> _Q:
        """Return a QuerySet asking for ``size`` items per request (1 to 1000)."""
        size = _check_count(size, "page_size", minimum=1)
        if size > constants.MAX_PAGE_SIZE:
            raise ValidationError(
                f"page_size must be at most {constants.MAX_PAGE_SIZE}, got {size}",
                argument="page_size",
                value=size,
            )
        clone = self._clone()
        clone._page_size = size
        return clone

    @overload
    def __getitem__(self: _Q, index: slice) -> _Q: ...

    @overload
    def __getitem__(self, index: int) -> _T: ...

    def __getitem__(self: _Q, index: slice | int) -> _Q | Any:
        """``qs[:n]`` and ``qs[a:b]`` return QuerySets; ``qs[i]`` fetches one item."""
        if isinstance(index, slice):
            if index.step not in (None, 1):
                raise ValidationError(
                    f"QuerySet slices take no step, got {index.step!r}",
                    argument="index",
                    value=index,
                )
            start = 0 if index.start is None else _check_count(index.start, "slice start")
            clone = self._clone()
            clone._offset = self._offset + start
            if self._limit is not None:
                clone._limit = max(self._limit - start, 0)
            if index.stop is not None:
                stop = _check_count(index.stop, "slice stop")
                size = max(stop - start, 0)
                clone._limit = size if clone._limit is None else min(size, clone._limit)
            return clone
        position = _check_count(index, "index")
        for item in self[position : position + 1]:
            return item
        raise IndexError(f"QuerySet index {position} out of range")

    # -- sends requests ------------------------------------------------------------------

    def __iter__(self) -> Iterator[_T]:
        """Iterate over the models, fetching pages lazily (maximumPageSize=1000 by default)."""
        if self._limit == 0:
            return iter(())
        # chain runs in C: no generator step per item, only per page.
        return chain.from_iterable(self._built_pages(self._page_builder()))

    def _built_pages(
        self, build_page: Callable[[Sequence[Mapping[str, Any]]], Iterable[Any]]
    ) -> Iterator[Iterable[Any]]:
        """Each page's items, re-checked, sliced and built, fetching the pages lazily."""
        skip = self._offset
        remaining = self._limit
        wanted = None if remaining is None else skip + remaining
        keep = self._keep()
        page_size = self._page_size
        if wanted is not None and keep is None:
            # Ask for no more than needed, unless items may be dropped by the re-check.
            page_size = min(page_size, wanted)
        for request in self._requests():
            for page in self.connection.paginate(
                request.operation,
                request.params,
                page_size=page_size,
                overrides=self._overrides(),
            ):
                items = page.get(request.result_key, ())
                if keep is not None:
                    items = [item for item in items if keep(item)]
                if skip:
                    if skip >= len(items):
                        skip -= len(items)
                        continue
                    items = items[skip:]
                    skip = 0
                if remaining is None:
                    yield build_page(items)
                    continue
                yield build_page(items[:remaining])
                remaining -= min(len(items), remaining)
                if remaining <= 0:
                    return

    def values(self) -> Iterator[dict[str, Any]]:
        """Iterate over the raw items SWF listed, as dicts, with no model built.

        Pages are fetched as you iterate, as for the models. Filters (re-checked
        client-side), slicing and ``limit`` apply as to iteration; apply them first:
        ``qs.filter(...)[:10].values()`` (the iterator returned is not a QuerySet).

        The dicts are botocore's, e.g. ``WorkflowExecutionInfo`` (``execution``,
        ``workflowType``, ``startTimestamp`` in the local time zone...): the cheapest way
        through a very large listing, when you only need a field or two. Iterating over the
        QuerySet gives models.
        """
        if self._limit == 0:
            return iter(())
        return chain.from_iterable(self._built_pages(_identity))

    def _keep(self) -> Callable[[Mapping[str, Any]], bool] | None:
        """The re-check of the filters, built once per QuerySet (clones rebuild it)."""
        if self._keep_built is None:
            self._keep_built = (self._predicate(),)
        return self._keep_built[0]

    def _overrides(self) -> dict[type[ResponseError], type[ResponseError]]:
        # A listing fails with UnknownResourceFault only when its domain does not exist.
        return {DoesNotExistError: Domain.DoesNotExist}

    def pages(self, next_token: str | None = None) -> Iterator[Page[_T]]:
        """Iterate over the pages of the listing (slicing and ``limit`` do not apply).

        Args:
            next_token: a :attr:`Page.next_token` from an earlier listing, to resume it.

        Yields:
            Each :class:`Page`, with its models and the token of the next page.
        """
        requests = self._requests()
        if next_token is not None and len(requests) > 1:
            raise ValidationError(
                "cannot resume a listing of both open and closed executions: filter on a status",
                argument="next_token",
                value=next_token,
            )
        build_page = self._page_builder()
        keep = self._keep()
        for request in requests:
            for page in self.connection.paginate(
                request.operation,
                request.params,
                page_size=self._page_size,
                starting_token=next_token,
                overrides=self._overrides(),
            ):
                items = page.get(request.result_key, ())
                if keep is not None:
                    items = [item for item in items if keep(item)]
                yield Page(tuple(build_page(items)), page.get("nextPageToken"), request.operation)

    def count(self) -> int:
        """Count the items (by listing them all; executions use SWF's Count operations)."""
        return sum(1 for _ in self)

    def exists(self) -> bool:
        """Whether the listing has at least one item (fetches at most one)."""
        return self.first() is not None

    def first(self) -> _T | None:
        """The first item, or ``None``."""
        for item in self[:1]:
            return item
        return None

    def __repr__(self) -> str:
        parts = [self._describe()] if self._describe() else []
        parts += [f"{name}={value!r}" for name, value in self._filters.items()]
        if self._offset:
            parts.append(f"offset={self._offset}")
        if self._limit is not None:
            parts.append(f"limit={self._limit}")
        return f"<{type(self).__name__} {', '.join(parts)}>"


class InDomainQuerySet(QuerySet[_T]):
    """A QuerySet of things inside one domain (types, executions).

    Args:
        domain: the domain (a :class:`~swf.models.Domain` or its name).
        client: a boto3 SWF client, a :class:`~swf.core.Connection`, or ``None``.

    Attributes:
        domain: the :class:`~swf.models.Domain`.
    """

    def __init__(self, domain: Domain | str, *, client: ClientLike = None) -> None:
        super().__init__(client=client)
        self.domain: Domain = to_domain(domain)

    def _describe(self) -> str:
        return f"domain {self.domain.name!r}"


class TypeQuerySet(InDomainQuerySet[_TypeT]):
    """The workflow or activity types of a domain: what both type QuerySets do.

    Example::

        >>> qs = WorkflowTypeQuerySet("media")     # or ActivityTypeQuerySet
        >>> qs.get("thumbnails", "1")
        >>> [t.version for t in qs.filter(name="thumbnails")]
        >>> wtype, created = qs.get_or_create("thumbnails", "2", task_list="deciders")

    Listed types carry no registered defaults (List...Types does not return them); ``get``
    and the model's ``upstream()`` do.

    Args:
        domain: the domain (a :class:`~swf.models.Domain` or its name).
        client: a boto3 SWF client, a :class:`~swf.core.Connection`, or ``None``.
    """

    @named_filters
    def filter(
        self: _Q,
        *,
        status: str | None = None,
        name: str | None = None,
        version: str | None = None,
    ) -> _Q:
        """Return a QuerySet narrowed by status, name and version (nothing is sent).

        Args:
            status: ``'REGISTERED'`` (the default of listings) or ``'DEPRECATED'``.
            name: an exact type name (sent to SWF, and re-checked).
            version: an exact version (checked client-side: SWF has no such filter).

        Raises:
            swf.exceptions.InvalidTypeError: an unknown filter (named, with the known ones).
        """
        filters: dict[str, Any] = {}
        if status is not None:
            filters["status"] = to_status(status)
        if name is not None:
            filters["name"] = to_name(name)
        if version is not None:
            filters["version"] = to_version(version)
        return self._clone(**filters)

    def _requests(self) -> list[Request]:
        params = {
            "domain": self.domain.name,
            "registrationStatus": self._filters.get("status", constants.REGISTERED),
            "name": self._filters.get("name"),
        }
        return [Request(f"List{self.model._kind}s", params, "typeInfos")]

    def _builder(self) -> Callable[[Mapping[str, Any]], _TypeT]:
        domain, connection, model = self.domain, self.connection, self.model
        return lambda info: model.from_api(domain, info, client=connection)

    def _predicate(self) -> Callable[[Mapping[str, Any]], bool] | None:
        ref_key = self.model._ref_key()
        name = self._filters.get("name")
        version = self._filters.get("version")
        if name is None and version is None:
            return None

        def keep(info: Mapping[str, Any]) -> bool:
            ref = info[ref_key]
            return (name is None or ref["name"] == name) and (
                version is None or ref["version"] == version
            )

        return keep

    def get(self, name: str, version: str) -> _TypeT:
        """Read one type (Describe...Type).

        Raises:
            swf.exceptions.DoesNotExistError: the model's own ``DoesNotExist``, when there is no
                such type in the domain.
        """
        found: _TypeT = self.model(self.domain, name, version, client=self.connection).upstream()
        return found

    def _local(self, name: str, version: str, options: dict[str, Any]) -> _TypeT:
        """The model built from ``options``, a misspelt option named (not a bare TypeError)."""
        known = {field.name for field in attrs.fields(self.model)} - {"domain", "name", "version"}
        for option in options:
            if option not in known:
                raise InvalidTypeError(
                    f"{self.model.__name__} has no option {option!r}; "
                    f"known: {', '.join(sorted(known))}",
                    argument=option,
                    value=options[option],
                )
        local: _TypeT = self.model(self.domain, name, version, client=self.connection, **options)
        return local

    def create(self, name: str, version: str, **options: Any) -> _TypeT:
        """Register a type and return it.

        Args:
            name: the type name.
            version: the type version.
            **options: the model's other fields (``task_list``, timeouts, ``description``...).

        Raises:
            swf.exceptions.AlreadyExistsError: the model's own ``AlreadyExists``, when that name
                and version are registered.
            swf.exceptions.InvalidTypeError: an option the model does not have.
        """
        created = self._local(name, version, options)
        created.save()
        return created

    def get_or_create(self, name: str, version: str, **options: Any) -> tuple[_TypeT, bool]:
        """Get the type, or register it; race-safe (a concurrent registration is read back).

        Returns:
            ``(type, created)``.
        """
        local = self._local(name, version, options)
        try:
            return local.upstream(), False
        except self.model.DoesNotExist:
            pass
        try:
            local.save()
        except self.model.AlreadyExists:
            return local.upstream(), False
        return local, True
