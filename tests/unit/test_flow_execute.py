"""swf.flow.execute: program() runs an executable, python() a function in another
interpreter; both are ordinary activities (run here by direct calls and run_local)."""

from __future__ import annotations

import json
import os
import sys
from typing import Any

import flowexec
import pytest

from swf.exceptions import InvalidTypeError, SWFError, ValidationError
from swf.flow import Activity, ActivityFailed, Workflow, run_local
from swf.flow.definition import REGISTRY
from swf.flow.execute import (
    ProgramError,
    ProgramFailed,
    RemoteError,
    format_arguments,
    program,
    python,
)
from swf.replay import Replayer

# -- format_arguments -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "kwargs", "line"),
    [
        (("a", 1, 2.5), {}, ["a", "1", "2.5"]),
        ((), {"size": 3, "dry_run": True, "quiet": False, "mode": None}, ["--size=3", "--dry-run"]),
        (("x",), {"v": True, "n": 5}, ["-v", "-n", "5", "x"]),
        ((), {"tag": ["a", "b"], "t": ["c", "d"]}, ["--tag=a", "--tag=b", "-t", "c", "-t", "d"]),
        (([1, 2], {"k": "v"}), {}, ["[1,2]", '{"k":"v"}']),
        (("é",), {"name": "ü"}, ["--name=ü", "é"]),
    ],
)
def test_format_arguments_writes_options_then_positional_arguments(
    args: tuple[Any, ...], kwargs: dict[str, Any], line: list[str]
) -> None:
    assert format_arguments(*args, **kwargs) == line


def test_format_arguments_refuses_what_is_not_json() -> None:
    with pytest.raises(InvalidTypeError, match="object"):
        format_arguments(object())


# -- program --------------------------------------------------------------------------------------


def test_a_program_is_an_activity_that_runs_the_executable() -> None:
    assert isinstance(flowexec.run_code, Activity)
    assert flowexec.run_code.name == "flowexec.run_code"
    assert REGISTRY[flowexec.run_code.key] is flowexec.run_code
    code = "import sys, os; print(os.getpid(), sys.argv[1:])"
    out = flowexec.run_code("a", "b c", c=code)
    pid, rest = out.split(" ", 1)
    assert int(pid) != os.getpid() and rest == "['a', 'b c']\n"
    assert flowexec.run_raw("print(6 * 7)") == "42\n"  # a format of its own


def test_a_program_named_after_its_function_is_found_on_the_path() -> None:
    @program()
    def echo(*words: str) -> str:
        """/bin/echo, found on PATH."""

    assert echo("hello", "world") == "hello world\n"


def test_a_call_that_does_not_fit_the_signature_is_refused() -> None:
    with pytest.raises(InvalidTypeError, match="c"):
        flowexec.run_code("a")  # c is required


def test_a_failing_program_fails_with_its_status_and_standard_error() -> None:
    code = "import sys; sys.stderr.write('no luck'); sys.exit(3)"
    with pytest.raises(ProgramFailed, match="status 3: no luck") as caught:
        flowexec.run_code(c=code)
    assert caught.value.returncode == 3
    assert caught.value.stderr == "no luck"
    assert caught.value.command[:2] == [sys.executable, "-c"]
    assert isinstance(caught.value, ProgramError) and isinstance(caught.value, SWFError)


def test_a_missing_program_and_a_timeout_are_program_failures() -> None:
    @program(path="/nonexistent/tool")
    def tool() -> str:
        """Not there."""

    with pytest.raises(ProgramFailed, match="'/nonexistent/tool' could not run"):
        tool()

    @program(path=sys.executable, timeout=0.5)
    def slow(*, c: str) -> str:
        """Too slow."""

    with pytest.raises(ProgramFailed, match="timeout of 0.5 seconds"):
        slow(c="import time; time.sleep(30)")


def test_a_format_that_gives_no_strings_is_refused() -> None:
    @program(path=sys.executable, argument_format=lambda *args: [1])
    def wrong(x: int) -> str:
        """Bad format."""

    with pytest.raises(InvalidTypeError, match="argument_format must give strings"):
        wrong(1)


class Programs(Workflow):
    def run(self) -> Any:
        code = "import json, sys; print(json.dumps(sys.argv[1:]))"
        return json.loads(self.submit(flowexec.run_code, "x", 2, c=code).result)


def test_a_program_runs_in_a_local_workflow() -> None:
    run = run_local(Programs)
    assert run.result == ["x", "2"]
    assert list(run.history.compiled.activities) == ["flowexec.run_code-1"]
    assert Replayer(Programs).check(run.history).ok


# -- python ---------------------------------------------------------------------------------------


def test_python_runs_the_function_in_another_interpreter_and_back() -> None:
    assert isinstance(flowexec.describe, Activity)
    result = flowexec.describe([1, 2, 3], scale=2)
    assert result["total"] == 12
    assert result["pid"] != os.getpid()


def test_a_class_is_built_then_executed_remotely() -> None:
    assert flowexec.Counter.execute("one two three") == 3


def test_a_remote_exception_comes_back_with_its_type_message_and_traceback() -> None:
    with pytest.raises(RemoteError) as caught:
        flowexec.explode(3)
    error = caught.value
    assert error.error_type == "builtins.ZeroDivisionError"
    assert "integer division or modulo by zero" in error.remote_message
    assert "in _divide" in error.remote_traceback and "value // 0" in error.remote_traceback
    assert "flowexec.explode" in str(error) and "ZeroDivisionError" in str(error)
    assert "in _divide" in str(error.__cause__)  # shown in the traceback of the failure


class Remote(Workflow):
    def run(self) -> Any:
        total = self.submit(flowexec.describe, [4, 5]).result["total"]
        try:
            return self.submit(flowexec.explode, total).result
        except ActivityFailed as failure:
            return {"total": total, "type": failure.error_type, "details": failure.details}


def test_remote_failures_are_the_activity_s_failure_with_the_remote_traceback() -> None:
    run = run_local(Remote)
    result = run.result
    assert result["total"] == 9
    assert result["type"] == "swf.flow.execute.RemoteError"
    details = json.loads(result["details"])
    assert "ZeroDivisionError" in details["message"]
    assert "in _divide" in details["traceback"]  # the remote frames, in the failure's details
    assert Replayer(Remote).check(run.history).ok


def test_arguments_that_are_not_json_are_refused() -> None:
    with pytest.raises(InvalidTypeError, match="must be JSON"):
        flowexec.describe({1, 2})


def test_a_missing_interpreter_is_a_program_failure() -> None:
    remote = python(interpreter="/nonexistent/python", name="missing")(
        flowexec.explode.function.__wrapped__
    )
    with pytest.raises(ProgramFailed, match="could not run"):
        remote(1)


def test_an_interpreter_that_ends_without_an_answer_is_a_program_failure() -> None:
    remote = python(interpreter="/bin/true", name="silent")(flowexec.explode.function.__wrapped__)
    with pytest.raises(ProgramFailed, match="without an answer"):
        remote(1)


def test_functions_another_interpreter_cannot_import_are_refused_when_decorated() -> None:
    def local(x: int) -> int:
        return x

    with pytest.raises(ValidationError, match="<locals>"):
        python()(local)
    with pytest.raises(InvalidTypeError, match="in place of @activity"):
        python()(flowexec.describe)


def test_activity_options_go_through() -> None:
    made = python(sys.executable, name="renamed", version="7", retry=2, task_list="pypy")(
        flowexec.explode.function.__wrapped__
    )
    assert (made.name, made.version, made.task_list, made.retry.max_attempts) == (
        "renamed",
        "7",
        "pypy",
        3,
    )


def test_program_and_python_activities_survive_pickling_for_worker_processes() -> None:
    import pickle

    remote = pickle.loads(pickle.dumps(flowexec.describe))
    assert remote([1, 2])["total"] == 3
    assert pickle.loads(pickle.dumps(flowexec.run_raw))("print('ok')") == "ok\n"
