"""Activities that run outside the worker's Python: :func:`program` and :func:`python`.

::

    from swf.flow.execute import program, python

    @program(path="convert", task_list="media")
    def convert(source, target, resize=None):
        "Runs: convert --resize=<resize> <source> <target>; the result is its output."

    @python(interpreter="/opt/pypy3/bin/pypy3", retry=2)
    def crunch(numbers):
        return sum(n * n for n in numbers)

Both make ordinary activities (:class:`~swf.flow.Activity`): a workflow submits them, a
:class:`~swf.flow.WorkflowWorker`, :func:`~swf.flow.run_local` or a direct call runs them,
with the options of ``@activity`` (``name``, ``version``, ``task_list``, ``retry``, the
timeouts...). The errors, under :class:`~swf.exceptions.SWFError`::

    ProgramError              an executable or interpreter did not do its job
    ├── ProgramFailed         not found, exited with a non-zero status, or timed out
    └── RemoteError           the function raised in the other interpreter (its traceback)
"""

from __future__ import annotations

import functools
import inspect
import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Callable, Mapping, Sequence
from typing import Any, TypeVar

from swf.exceptions import InvalidTypeError, SWFError, ValidationError
from swf.flow.definition import Activity, activity
from swf.validation import shorten

__all__ = [
    "ProgramError",
    "ProgramFailed",
    "RemoteError",
    "format_arguments",
    "program",
    "python",
]

_F = TypeVar("_F", bound=Callable[..., Any])
# What is kept of a program's standard error in a ProgramFailed message.
_STDERR_TAIL = 2000


class ProgramError(SWFError):
    """An executable or another interpreter did not do what an activity asked.

    Attributes:
        command: the command line (a list of strings).
    """

    def __init__(self, message: str, *, command: Sequence[str]) -> None:
        super().__init__(message)
        self.command = list(command)


class ProgramFailed(ProgramError):
    """The program could not run, exited with a non-zero status, or timed out.

    Attributes:
        returncode: its exit status (None: it did not run, or was killed at its timeout).
        stderr: what it wrote to its standard error (:func:`program`; :func:`python` lets
            the interpreter write to the worker's).
    """

    def __init__(
        self,
        message: str,
        *,
        command: Sequence[str],
        returncode: int | None = None,
        stderr: str | None = None,
    ) -> None:
        super().__init__(message, command=command)
        self.returncode = returncode
        self.stderr = stderr


class RemoteError(ProgramError):
    """The function of a :func:`python` activity raised in the other interpreter.

    Its ``__cause__`` shows the remote traceback, so that the activity's failure details (and
    a log of the exception) carry it.

    Attributes:
        error_type: the remote exception's type, ``"module.Name"``.
        remote_message: its message.
        remote_traceback: its traceback, as the other interpreter formatted it.
    """

    def __init__(
        self,
        message: str,
        *,
        command: Sequence[str],
        error_type: str,
        remote_message: str,
        remote_traceback: str,
    ) -> None:
        super().__init__(message, command=command)
        self.error_type = error_type
        self.remote_message = remote_message
        self.remote_traceback = remote_traceback


class _RemoteTraceback(Exception):
    """Shows a traceback of another process as the cause of an error (as
    ``concurrent.futures`` does for its process pools)."""

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.text = text

    def __str__(self) -> str:
        return f'\n"""\n{self.text}"""'


# -- program ------------------------------------------------------------------------------------


def _text(value: Any) -> str:
    """An argument's text: a string as it is, any other value as its JSON."""
    if isinstance(value, str):
        return value
    try:
        return json.dumps(value, separators=(",", ":"), ensure_ascii=False, allow_nan=False)
    except (TypeError, ValueError):
        raise InvalidTypeError(
            f"a program's arguments are strings or JSON values, got {shorten(value)}",
            argument="args",
            value=value,
        ) from None


def format_arguments(*args: Any, **kwargs: Any) -> list[str]:
    """The command line arguments of a :func:`program` call (its default format).

    Keyword arguments come first, as options, in the order given: ``key=value`` is
    ``--key=value`` (underscores become dashes: ``dry_run`` is ``--dry-run``), a one-letter
    ``k=value`` is ``-k value``; True is the option alone (``--verbose``), False and None
    leave it out, a list repeats it for each item. Then the positional arguments, in order.
    A string is taken as it is, any other value as its JSON (``3``, ``true``, ``[1,2]``).

    >>> format_arguments("in.png", "out.png", resize="50%", q=90, strip=True, verbose=False)
    ['--resize=50%', '-q', '90', '--strip', 'in.png', 'out.png']

    Raises:
        InvalidTypeError: a value is neither a string nor JSON.
    """
    line: list[str] = []
    for key, value in kwargs.items():
        option = f"-{key}" if len(key) == 1 else "--" + key.replace("_", "-")
        values = value if isinstance(value, list | tuple) else [value]
        for item in values:
            if item is True:
                line.append(option)
            elif item is None or item is False:
                continue
            elif len(key) == 1:
                line += [option, _text(item)]
            else:
                line.append(f"{option}={_text(item)}")
    line += [_text(arg) for arg in args]
    return line


def _bind(function: Callable[..., Any], what: str, args: Any, kwargs: Any) -> None:
    try:
        inspect.signature(function).bind(*args, **kwargs)
    except TypeError as exc:
        raise InvalidTypeError(
            f"{what} takes {inspect.signature(function)}: {exc}",
            argument="args",
            value=(args, kwargs),
        ) from None
    except ValueError:  # no signature to check (a builtin): the call says
        return


def program(
    path: str | os.PathLike[str] | None = None,
    argument_format: Callable[..., Sequence[str]] = format_arguments,
    *,
    timeout: float | None = None,
    env: Mapping[str, str] | None = None,
    cwd: str | os.PathLike[str] | None = None,
    **options: Any,
) -> Callable[[Callable[..., Any]], Activity[Any]]:
    """Make an activity of a function's signature that runs an executable.

    The function's body is not run: its signature says what arguments the activity takes
    (a call that does not fit is refused), and the executable is run with the arguments
    ``argument_format(*args, **kwargs)`` returns (:func:`format_arguments` by default). The
    activity's result is what the program wrote to its standard output (text); its standard
    error is passed on to the worker's.

    Args:
        path: the executable (default: the function's name, found on ``PATH``).
        argument_format: what makes the command line's arguments of a call: a function of
            the call's arguments returning a list of strings.
        timeout: seconds after which the program is killed (and the activity fails).
        env: the program's environment (default: the worker's).
        cwd: its working directory (default: the worker's).
        **options: the activity's options, as ``@activity`` takes them (``name``, ``version``,
            ``task_list``, ``retry``, the timeouts...).

    Raises:
        InvalidTypeError: when it runs, the call does not fit the signature, or the format
            gave something else than strings.
        ProgramFailed: when it runs, the program was not found, exited with a non-zero
            status (its standard error in the message), or ran past ``timeout``.
    """

    def make(function: Callable[..., Any]) -> Activity[Any]:
        executable = os.fspath(path) if path is not None else function.__name__
        what = f"program {executable!r}"

        def run_program(*args: Any, **kwargs: Any) -> str:
            _bind(function, what, args, kwargs)
            arguments = list(argument_format(*args, **kwargs))
            for argument in arguments:
                if not isinstance(argument, str):
                    raise InvalidTypeError(
                        f"{what}: argument_format must give strings, got {argument!r}",
                        argument="argument_format",
                        value=argument,
                    )
            command = [executable, *arguments]
            done = _run(what, command, timeout, env, capture_output=True, cwd=cwd)
            if done.stderr:
                sys.stderr.write(done.stderr)
            if done.returncode != 0:
                tail = done.stderr[-_STDERR_TAIL:].strip()
                raise ProgramFailed(
                    f"{what} exited with status {done.returncode}" + (f": {tail}" if tail else ""),
                    command=command,
                    returncode=done.returncode,
                    stderr=done.stderr,
                )
            return done.stdout

        functools.update_wrapper(run_program, function, updated=())
        made: Activity[Any] = activity(**options)(run_program)
        return made

    return make


# -- python -------------------------------------------------------------------------------------

# What the other interpreter runs (``-c``): it reads the request on its standard input, imports
# the function by module and qualified name, calls it and writes the answer to a file. Plain
# code for any Python 3, with no import of swf of its own.
_RUNNER = r"""
import importlib, json, sys, traceback
request = json.loads(sys.stdin.read())
for entry in request["path"]:
    if entry not in sys.path:
        sys.path.append(entry)
try:
    target = importlib.import_module(request["module"])
    for part in request["qualname"].split("."):
        target = getattr(target, part)
    target = getattr(target, "function", target)
    target = getattr(target, "__wrapped__", target)
    if isinstance(target, type):
        value = target(*request["args"], **request["kwargs"]).execute()
    else:
        value = target(*request["args"], **request["kwargs"])
    answer = json.dumps({"result": value}, allow_nan=False)
except BaseException as exc:
    kind = type(exc)
    answer = json.dumps({"error": {
        "type": kind.__module__ + "." + kind.__qualname__,
        "message": str(exc),
        "traceback": traceback.format_exc(),
    }})
with open(request["answer"], "w") as out:
    out.write(answer)
"""


def python(
    interpreter: str | os.PathLike[str] = "python3",
    *,
    timeout: float | None = None,
    env: Mapping[str, str] | None = None,
    **options: Any,
) -> Callable[[_F], Activity[_F]]:
    """Make an activity of a function that another Python interpreter runs (PyPy, another
    version, another virtual environment).

    At each call, ``interpreter`` is started; it imports the function's module, calls the
    function (a class: builds it, then calls its ``execute()``) with the arguments, and sends
    back the result. Arguments and result go as JSON. The interpreter finds the module on
    its own ``sys.path``, then on the worker's (appended after its own); its output goes to
    the worker's.

    Args:
        interpreter: the Python executable.
        timeout: seconds after which the interpreter is killed (and the activity fails).
        env: its environment (default: the worker's).
        **options: the activity's options, as ``@activity`` takes them.

    Raises:
        ValidationError: at decoration, the function cannot be imported by another process:
            it is defined in ``__main__`` or inside a function.
        InvalidTypeError: when it runs, an argument is not JSON.
        RemoteError: when it runs, the function raised (its type, message and traceback).
        ProgramFailed: when it runs, the interpreter was not found, ran past ``timeout``, or
            ended without an answer.
    """
    executable = os.fspath(interpreter)

    def make(function: _F) -> Activity[_F]:
        if isinstance(function, Activity):
            raise InvalidTypeError(
                "@python makes the activity itself: put it in place of @activity (with the "
                "same options)",
                argument="function",
                value=function,
            )
        module = getattr(function, "__module__", None)
        qualname = getattr(function, "__qualname__", "")
        if not module or module == "__main__" or "<locals>" in qualname:
            raise ValidationError(
                f"@python runs functions another interpreter can import, got {module}."
                f"{qualname} (define it at the top level of an importable module)",
                argument="function",
                value=function,
            )

        def run_python(*args: Any, **kwargs: Any) -> Any:
            return _call(executable, module, qualname, args, kwargs, timeout, env)

        functools.update_wrapper(run_python, function, updated=())
        made: Activity[Any] = activity(**options)(run_python)
        return made

    return make


def _call(
    executable: str,
    module: str,
    qualname: str,
    args: Sequence[Any],
    kwargs: Mapping[str, Any],
    timeout: float | None,
    env: Mapping[str, str] | None,
) -> Any:
    """Run ``module.qualname(*args, **kwargs)`` in ``executable``; its result."""
    command = [executable, "-c", _RUNNER]
    what = f"{module}.{qualname} in {executable!r}"
    with tempfile.TemporaryDirectory(prefix="swf-python-") as folder:
        answer_path = os.path.join(folder, "answer.json")
        try:
            request = json.dumps(
                {
                    "module": module,
                    "qualname": qualname,
                    "path": [entry for entry in sys.path if isinstance(entry, str)],
                    "args": list(args),
                    "kwargs": dict(kwargs),
                    "answer": answer_path,
                },
                allow_nan=False,
            )
        except (TypeError, ValueError) as exc:
            raise InvalidTypeError(
                f"the arguments of {what} must be JSON ({exc}): {shorten((args, kwargs))}",
                argument="args",
                value=(args, kwargs),
            ) from None
        sys.stdout.flush()
        sys.stderr.flush()
        done = _run(what, command, timeout, env, input=request)
        try:
            with open(answer_path, encoding="utf-8") as answer_file:
                answer = json.load(answer_file)
        except (OSError, ValueError):
            raise ProgramFailed(
                f"{what} ended (status {done.returncode}) without an answer",
                command=command,
                returncode=done.returncode,
            ) from None
    if "error" in answer:
        error = answer["error"]
        raise RemoteError(
            f"{what} raised {error['type']}: {error['message']}",
            command=command,
            error_type=error["type"],
            remote_message=error["message"],
            remote_traceback=error["traceback"],
        ) from _RemoteTraceback(error["traceback"])
    return answer["result"]


def _run(
    what: str, command: list[str], timeout: float | None, env: Any, **options: Any
) -> subprocess.CompletedProcess[str]:
    """Run ``command`` as text; a program that cannot start or runs over ``timeout`` is a
    :class:`ProgramFailed` naming ``what``."""
    try:
        return subprocess.run(
            command,
            text=True,
            timeout=timeout,
            env=None if env is None else dict(env),
            check=False,
            **options,
        )
    except OSError as exc:
        raise ProgramFailed(f"{what} could not run: {exc}", command=command) from None
    except subprocess.TimeoutExpired:
        raise ProgramFailed(
            f"{what} ran over its timeout of {timeout} seconds and was killed", command=command
        ) from None
