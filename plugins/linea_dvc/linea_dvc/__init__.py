"""linea-dvc: ``to_pipeline(..., framework="DVC")`` writes a DVC pipeline.

``dvc.yaml`` holds a stage per artifact (or per session, or one for everything),
``params.yaml`` the pipeline's parameters, and each stage runs its own script
(``task_<stage>.py``) calling the pipeline module. Options:
:class:`linea_dvc.options.DVCOptions`.
"""

#: The DVC release the generated requirements pin and the tests run.
DVC_VERSION = "3.67.1"
