"""``swf payload get``: the payload a reference stands for (:mod:`swf.flow.payload`), and
the resolution behind ``swf history --resolve``."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import click

from swf.cli.app import CliState, cli, pass_state
from swf.cli.output import echo_json

__all__ = ["payload_group", "resolve_events"]


@cli.group("payload")
def payload_group() -> None:
    """Payloads stored out of band (over SWF's 32 KB): read them by reference."""


@payload_group.command("get")
@click.argument("uri")
@click.argument("size", required=False, type=click.IntRange(min=0))
@pass_state
def get_command(state: CliState, uri: str, size: int | None) -> None:
    """Print the payload of the reference URI (as SWF holds it, e.g. in a history).

    URI is ``swf+s3://BUCKET/PREFIX/sha256/HEX SIZE`` (quoted, or SIZE as a second
    argument; without SIZE only the digest is checked), ``swf+file:///DIR/sha256/HEX SIZE``
    or simpleflow's ``simpleflow+s3://BUCKET/KEY SIZE``. The payload is checked against its
    SHA-256 before it is printed; a missing or changed object is an error (exit 1). S3 is
    reached with the usual AWS settings (AWS_ENDPOINT_URL_S3 for another endpoint).
    """
    from swf.flow.payload import Reference, parse_reference, read

    text = uri.strip() if size is None else f"{uri.strip()} {size}"
    reference = parse_reference(text, require_size=False)
    if reference is None:
        raise click.UsageError(
            f"not a payload reference: {text!r} (expected swf+SCHEME://LOCATION/sha256/HEX "
            "SIZE or simpleflow+s3://BUCKET/KEY SIZE)"
        )
    payload = read(reference)
    if state.json:
        echo_json(
            {
                "reference": reference.text,
                "sha256": reference.digest if isinstance(reference, Reference) else None,
                "size": len(payload.encode("utf-8", "surrogatepass")),
                "payload": payload,
            }
        )
        return
    click.echo(payload)


def resolve_events(events: Iterable[Any]) -> list[dict[str, Any]]:
    """The raw events (``to_api()``) of ``events`` with their payload references resolved.

    A reference that cannot be read (its object expired, was deleted or changed) stays as it
    is, and a warning naming the event and the attribute goes to stderr: a history stays
    readable when some of its payloads are gone, and nothing is silently replaced.
    """
    from swf.exceptions import PayloadError
    from swf.flow.payload import resolve

    resolved = []
    for event in events:
        raw = event.to_api()
        for key, attributes in list(raw.items()):
            if not key.endswith("EventAttributes") or not isinstance(attributes, Mapping):
                continue
            changed = dict(attributes)
            for name, value in attributes.items():
                if not isinstance(value, str):
                    continue
                try:
                    changed[name] = resolve(value)
                except PayloadError as exc:
                    click.echo(f"Warning: event {event.id} {name}: {exc}", err=True)
            raw[key] = changed
        resolved.append(raw)
    return resolved
