"""Sphinx configuration for the swf documentation."""

project = "swf"
author = "swf developers"
extensions = ["sphinx.ext.autodoc", "sphinx.ext.napoleon", "sphinx.ext.viewcode"]
autodoc_member_order = "bysource"
napoleon_google_docstring = True
exclude_patterns = ["_build"]
html_theme = "alabaster"

# A nitpicky build (-n) is clean: every cross-reference resolves (tests/functional/
# test_docs_build.py builds with -n -W). What it cannot resolve offline is ignored by name:
# the standard library's and other projects' objects (no network for intersphinx), and the
# type variables of generic signatures (private names, documented nowhere on purpose).
nitpicky = True
nitpick_ignore_regex = [
    (
        r"py:.*",
        r"(collections|contextvars|datetime|dt|os|reprlib|threading|json|multiprocessing|ast|attrs|"
        r"click|typing|"
        r"types|enum|logging|botocore|boto3|moto|pytest|rich)(\..+)?",
    ),
    (r"py:.*", r".*\._[A-Z][A-Za-z]*"),  # type variables: _T, _Self, _Q...
    (r"py:class", r"(Context|D)"),  # click's Context and dict's D in inherited docstrings
    # swf.local's docstring (another branch's module) says Connection.call: swf.core's.
    (r"py:meth", r"Connection\.call"),
]


def _no_inline_attribute_type(self):  # type: ignore[no-untyped-def]
    """Napoleon reads ``Text: more`` at the start of an attribute's or a property's docstring
    as ``type: description``; swf's are sentences (``What identifies the type in SWF: ...``)
    and their types come from the annotations."""
    lines = [self._lines.next(), *self._dedent(self._consume_to_end())]
    return "", self.__class__(lines, self._config).lines()


from sphinx.ext.napoleon.docstring import GoogleDocstring  # noqa: E402

GoogleDocstring._consume_inline_attribute = _no_inline_attribute_type
