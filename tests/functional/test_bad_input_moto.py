"""The bad-input table on in-process moto: every row refused, nothing sent.

The rows are those of ``tests/unit/test_bad_input.py``; here the connection is a real one to
moto (the ``swf_backend`` fixture) with domain ``d`` and a workflow type registered, so a
request that slipped through would reach a working backend, and ``connection.calls`` must
not grow.
"""

from __future__ import annotations

import importlib.util
import pathlib
import sys
from typing import Any

import pytest

from swf.core import Connection
from swf.models import Domain, WorkflowType

_spec = importlib.util.spec_from_file_location(
    "bad_input_table", pathlib.Path(__file__).parents[1] / "unit" / "test_bad_input.py"
)
assert _spec is not None and _spec.loader is not None
table: Any = importlib.util.module_from_spec(_spec)
sys.modules[_spec.name] = table  # dataclasses look their module up
_spec.loader.exec_module(table)


@pytest.fixture
def backend(swf_backend: Connection) -> Connection:
    Domain("d", client=swf_backend).save()
    WorkflowType(
        "d",
        "wt",
        "1",
        task_list="tl",
        execution_timeout=60,
        decision_tasks_timeout=10,
        child_policy="TERMINATE",
        client=swf_backend,
    ).save()
    return swf_backend


@pytest.mark.parametrize("row", table.params())
def test_bad_input_refused_on_moto(row: Any, backend: Connection) -> None:
    table.check_row(row, backend)


def test_the_table_is_the_unit_one() -> None:
    assert len(table.ROWS) >= 150
