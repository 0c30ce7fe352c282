"""swf's optional dependencies (its "extras"), and a clear error when one is missing.

A plain ``pip install swf`` gives the library and the command line. Some parts need more:

=========  ===================================  =============================================
extra      installs                             needed by
=========  ===================================  =============================================
``local``  moto (its server)                    :mod:`swf.local`, ``swf local``, ``swf demo``,
                                                the pytest fixtures of :mod:`swf.testing`
``test``   the ``local`` extra, pytest,         swf's own test suite
           hypothesis, mypy, ruff, sphinx
``docs``   sphinx                               building this documentation
=========  ===================================  =============================================

:func:`require` is called where such a part starts, so that a missing dependency is one line
naming the extra to install, not a ``ModuleNotFoundError`` from deep inside.
"""

from __future__ import annotations

import importlib.util

from swf.exceptions import ConfigurationError

__all__ = ["EXTRAS", "MissingExtraError", "require"]

#: Each extra, and the modules it provides.
EXTRAS: dict[str, tuple[str, ...]] = {
    "local": ("moto",),
    "docs": ("sphinx",),
}


class MissingExtraError(ConfigurationError, ImportError):
    """A part of swf needs an optional dependency that is not installed.

    Attributes:
        extra: the extra that installs it (``pip install 'swf[extra]'``).
        module: the missing module.
    """

    def __init__(self, message: str, *, extra: str, module: str) -> None:
        super().__init__(message)
        self.extra = extra
        self.module = module


def require(extra: str, what: str) -> None:
    """Check that the modules of ``extra`` are installed.

    Args:
        extra: the extra (a key of :data:`EXTRAS`).
        what: what needs it, for the message (``"swf local"``).

    Raises:
        MissingExtraError: a module of the extra is missing; the message says what to install.
    """
    for module in EXTRAS[extra]:
        try:
            found = importlib.util.find_spec(module)
        except (ImportError, ValueError):  # a parent package broken, or half-imported
            found = None
        if found is None:
            raise MissingExtraError(
                f"{what} needs {module}, which is not installed: pip install 'swf[{extra}]'",
                extra=extra,
                module=module,
            )
