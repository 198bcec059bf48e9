"""Jinja2 templates shipped inside a package (core's or a writer plugin's).

Writers keep their templates as package data (``my_writer/templates/dag.py.j2``) and
load them with :func:`load_template`. The environment is set up for generating
code, not HTML: no autoescaping, undefined variables are errors (a typo fails loudly
instead of rendering an empty string), block tags do not leave blank lines, and a
template's trailing newline is kept.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import jinja2


def template_environment(package: str, folder: str = "templates") -> jinja2.Environment:
    """An environment loading templates from ``folder`` inside ``package``."""
    import jinja2

    return jinja2.Environment(
        loader=jinja2.PackageLoader(package, folder),
        autoescape=False,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def load_template(package: str, name: str, folder: str = "templates") -> jinja2.Template:
    """The template ``folder/name`` of ``package``: ``load_template("linea_airflow", "dag.py.j2")``."""
    return template_environment(package, folder).get_template(name)
