"""swf: a pleasant, Django-like object layer over boto3 for Amazon Simple Workflow."""

from __future__ import annotations

from swf import constants, exceptions, settings
from swf.core import Connection
from swf.exceptions import SWFError

__all__ = ["Connection", "SWFError", "__version__", "constants", "exceptions", "settings"]

__version__ = "0.1.0"
