"""``swf domain``: list, describe, register, deprecate and undeprecate domains."""

from __future__ import annotations

from typing import Any

import click

from swf import constants
from swf.cli.app import CliState, cli, pass_state
from swf.cli.output import echo_change, echo_json, print_fields, print_table, with_progress

__all__ = ["domain"]


def _domain_json(domain: Any) -> dict[str, Any]:
    return {
        "name": domain.name,
        "status": domain.status,
        "description": domain.description,
        "retention_period": domain.retention_period,
    }


@cli.group()
def domain() -> None:
    """List, describe, register and deprecate domains."""


@domain.command("list")
@click.option(
    "--status",
    type=click.Choice(constants.REGISTRATION_STATUSES, case_sensitive=False),
    default=constants.REGISTERED,
    show_default=True,
)
@pass_state
def domain_list(state: CliState, status: str) -> None:
    """List the domains."""
    from swf.querysets import DomainQuerySet

    domains = list(
        with_progress(
            DomainQuerySet(client=state.connection).filter(status=status.upper()), "domains"
        )
    )
    if state.json:
        echo_json([_domain_json(d) for d in domains])
        return
    print_table(
        ("name", "status", "description"),
        ((d.name, d.status, d.description) for d in domains),
        empty=f"No {status.lower()} domains.",
    )


@domain.command("describe")
@click.argument("name")
@pass_state
def domain_describe(state: CliState, name: str) -> None:
    """Describe the domain NAME."""
    from swf.models import Domain

    found = Domain(name, client=state.connection).upstream()
    if state.json:
        echo_json(_domain_json(found))
        return
    print_fields(
        [
            ("name", found.name),
            ("status", found.status),
            ("retention (days)", found.retention_period),
            ("description", found.description),
        ]
    )


@domain.command("register")
@click.argument("name")
@click.option("--description", default=None, help="Free text, at most 1024 characters.")
@click.option(
    "--retention-days",
    default="30",
    show_default=True,
    help="How long SWF keeps closed executions, in days (0 to 90, or NONE).",
)
@pass_state
def domain_register(
    state: CliState, name: str, description: str | None, retention_days: str
) -> None:
    """Register the domain NAME."""
    from swf.models import Domain

    created = Domain(
        name, description=description, retention_period=retention_days, client=state.connection
    )
    created.save()
    echo_change(state.json, "registered", _domain_json(created), f"domain {name!r}")


@domain.command("deprecate")
@click.argument("name")
@pass_state
def domain_deprecate(state: CliState, name: str) -> None:
    """Deprecate the domain NAME."""
    from swf.models import Domain

    Domain(name, client=state.connection).delete()
    echo_change(state.json, "deprecated", {"name": name}, f"domain {name!r}")


@domain.command("undeprecate")
@click.argument("name")
@pass_state
def domain_undeprecate(state: CliState, name: str) -> None:
    """Undeprecate the domain NAME."""
    from swf.models import Domain

    Domain(name, client=state.connection).undeprecate()
    echo_change(state.json, "undeprecated", {"name": name}, f"domain {name!r}")
