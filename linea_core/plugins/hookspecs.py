"""The hook specifications: linea's contract with its plugins.

Every hook follows one pattern, taken from simonw/llm: linea calls the hook with a
``register`` callable and the plugin calls ``register(obj)`` once per thing it
provides. Registering (rather than returning lists) lets linea attribute every object
to the plugin that registered it, which is how duplicate names are reported and how a
failing plugin is left out without taking the others down.

Plugins implement hooks with :data:`hookimpl`::

    from linea_core.plugins import hookimpl

    @hookimpl
    def linea_register_pipeline_writers(register):
        register(MyWriter())

and expose the module through an entry point in the ``linea`` group::

    [project.entry-points.linea]
    my_plugin = "my_package.linea_plugin"
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import pluggy

if TYPE_CHECKING:
    import click

    from linea_core.plugins.contracts import (
        AnnotationPack,
        PipelineWriter,
        Serializer,
        StorageBackend,
        ValueBackend,
    )

PROJECT_NAME = "linea"
ENTRY_POINT_GROUP = "linea"

hookspec = pluggy.HookspecMarker(PROJECT_NAME)
hookimpl = pluggy.HookimplMarker(PROJECT_NAME)


@hookspec
def linea_register_storage_backends(
    register: Callable[[StorageBackend | ValueBackend], None],
) -> None:
    """Provide storage backends that keep artifact values.

    Call ``register(backend)`` for each backend. A backend has a unique ``name`` (the
    value users pass as ``save(..., storage_backend=NAME)`` and see in artifact
    metadata) and is one of two kinds. A byte backend
    (:class:`linea_core.plugins.StorageBackend`: ``root``/``write``/``open``/``delete``)
    receives the serializer's output as a stream and must make it visible atomically;
    linea hashes it in the same pass, records the backend's ``root`` with the value and
    deduplicates on it. A value backend (:class:`linea_core.plugins.ValueBackend`:
    ``accepts``/``is_default_for``/``save``/``load``/``delete``) is handed the value
    itself, as a model registry needs, with ``save(...)``'s keyword arguments. Options
    come from ``storage_options`` and the keyword arguments of ``save``.
    """


@hookspec
def linea_register_serializers(register: Callable[[Serializer], None]) -> None:
    """Provide serializers that turn values into bytes and back.

    Call ``register(serializer)`` for each one. Linea asks serializers in ascending
    ``priority`` whether they ``can_serialize`` a value and uses the first that says
    yes; the chosen ``name`` is stored with the value so it is always read back by the
    same serializer. ``dump`` writes into the storage stream directly and ``load``
    reads from one. Core registers ``numpy`` (10), ``pandas`` (20), ``pickle`` (100)
    and ``cloudpickle`` (200, for lambdas, local classes and other things pickle
    refuses).
    """


@hookspec
def linea_register_annotation_packs(register: Callable[[AnnotationPack], None]) -> None:
    """Provide annotation packs describing libraries' side effects.

    Call ``register(AnnotationPack(name=..., path=...))`` for each pack; the pack is a
    YAML file in LineaPy's annotation format (module, criteria, side_effects). Packs are
    validated when loaded; a malformed pack is reported with file, entry and reason and
    left out. Core registers packs for Python built-ins and the standard library,
    numpy, pandas and matplotlib.
    """


@hookspec
def linea_register_pipeline_writers(register: Callable[[PipelineWriter], None]) -> None:
    """Provide pipeline writers, one per orchestration framework.

    Call ``register(writer)`` for each. A writer has:

    * ``framework``: the name users pass as ``to_pipeline(framework=...)``, compared
      upper-cased; two writers claiming one framework is an error naming both plugins;
    * ``options_model()``: the pydantic model (a
      :class:`~linea_core.pipeline.options.WriterOptions` subclass) that validates the
      user's ``pipeline_dag_config``; unknown keys are reported with the valid ones;
    * ``render(pipeline, options)``: the files for a
      :class:`~linea_core.pipeline.Pipeline`, as
      :class:`~linea_core.pipeline.PipelineFile` objects. Linea writes them into the
      output directory, adds the test scaffold when ``generate_test=True``, and prints
      what it wrote. ``render`` must not write files or touch the store itself.

    Core's ``SCRIPT`` writer (``linea_core/writers/script.py``) is registered through
    this hook like any other; ``docs/plugins.md`` walks through writing one.
    """


@hookspec
def linea_register_commands(cli: click.Group) -> None:
    """Add subcommands to the ``linea`` command line.

    ``cli`` is the top-level click group; add commands or groups with
    ``cli.add_command(...)`` or the ``@cli.command()`` decorator. Use a name specific
    to the plugin (``linea airflow ...``) so plugins do not collide.
    """
