"""linea-kubeflow: ``to_pipeline(..., framework="KUBEFLOW")`` writes a Kubeflow pipeline.

The pipeline file is written for kfp 2 (``@dsl.component``, ``@dsl.pipeline``, values
passed between components as ``dsl.Input``/``dsl.Output[dsl.Artifact]``), next to the
YAML kfp's compiler makes of it, so no kfp is needed to generate it. The writer is
registered through the ``linea`` entry point (:mod:`linea_kubeflow.plugin`); its
``pipeline_dag_config`` keys are :class:`linea_kubeflow.options.KubeflowOptions`.
"""

#: The kfp release the generated Dockerfile installs, the compiled YAML is written for
#: and the tests run against.
KFP_VERSION = "2.17.3"
