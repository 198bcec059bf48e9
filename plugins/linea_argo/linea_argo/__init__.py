"""linea-argo: ``to_pipeline(..., framework="ARGO")`` writes an Argo Workflow.

Two views of one workflow: ``<name>_argo.py`` builds it with hera's current API
(``hera.workflows``: ``Workflow``, ``DAG``, ``Script``, ``Parameter``, ``Artifact``)
and ``<name>_argo.yaml`` is the manifest ``argo submit`` or ``kubectl create`` take.
Each task of the pipeline is a script template; pipeline parameters are workflow
parameters, and the values tasks hand on travel as Argo artifacts wired from one DAG
task to the next. The writer is registered through the ``linea`` entry point
(:mod:`linea_argo.plugin`); its ``pipeline_dag_config`` keys are
:class:`linea_argo.options.ArgoOptions`.
"""

#: The hera release the generated workflow file is written for and tested with.
HERA_VERSION = "7.1.0"
