"""Sphinx configuration for the swf documentation."""

project = "swf"
author = "swf developers"
extensions = ["sphinx.ext.autodoc", "sphinx.ext.napoleon", "sphinx.ext.viewcode"]
autodoc_member_order = "bysource"
napoleon_google_docstring = True
exclude_patterns = ["_build"]
html_theme = "alabaster"
