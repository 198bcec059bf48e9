"""linea-airflow: ``to_pipeline(..., framework="AIRFLOW")`` writes an Airflow DAG.

The DAG runs on Airflow 3 (``airflow.sdk``) and on Airflow 2.10. The writer is
registered through the ``linea`` entry point (:mod:`linea_airflow.plugin`); its
``pipeline_dag_config`` keys are :class:`linea_airflow.options.AirflowOptions`.
"""

#: The Airflow release the generated Dockerfile installs and the tests run against.
AIRFLOW_VERSION = "3.3.2"
