"""The bad-input table on in-process moto: every row refused, nothing sent.

The rows are those of ``tests/bad_input_table.py``; here the connection is a real one to
moto (the ``swf_backend`` fixture) with domain ``d`` and a workflow type registered, so a
request that slipped through would reach a working backend, and ``connection.calls`` must
not grow.
"""

from __future__ import annotations

from typing import Any

import pytest
from bad_input_table import ROWS, check_row

from swf.core import Connection
from swf.models import Domain, WorkflowType


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


@pytest.mark.parametrize("row", ROWS, ids=[row.id for row in ROWS])
def test_bad_input_refused_on_moto(row: Any, backend: Connection) -> None:
    check_row(row, backend)
