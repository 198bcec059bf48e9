"""``pipeline_dag_config`` for ``framework="KUBEFLOW"``: how linea splits the pipeline into
components, the images they run in, and where ``python <name>_dag.py --submit`` sends
runs.

LineaPy's ``dag_flavor`` (``ComponentArtifact`` / ``ComponentSession``) is accepted too.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from pydantic import Field, field_validator

from linea_core.pipeline import TaskBreakdown
from linea_core.pipeline.options import TaskedWriterOptions

_FLAVORS: Mapping[str, TaskBreakdown] = {
    "componentartifact": TaskBreakdown.ARTIFACT,
    "componentsession": TaskBreakdown.SESSION,
    "componentpipeline": TaskBreakdown.PIPELINE,
}
# kfp's own rule for pipeline names (kfp.dsl.utils.validate_pipeline_name).
_PIPELINE_NAME = re.compile(r"^[a-z0-9][a-z0-9-]{0,127}$")
# An image reference: [registry[:port]/]path[:tag][@digest], no spaces or upper case
# in the path (Docker's grammar, loosely: the registry tells the rest).
_IMAGE = re.compile(
    r"^(?:[A-Za-z0-9.-]+(?::[0-9]+)?/)?[a-z0-9]+(?:[._/-][a-z0-9]+)*"
    r"(?::[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?(?:@sha256:[0-9a-f]{64})?$"
)
_URL = re.compile(r"^https?://[^\s/]+(?:/\S*)?$")
_OBJECT_STORE = re.compile(r"^(?:gs|s3|minio|https?)://\S+$")


class KubeflowOptions(TaskedWriterOptions):
    """The keys ``pipeline_dag_config`` accepts for ``framework="KUBEFLOW"``."""

    lineapy_flavors = _FLAVORS

    pipeline_id: str | None = Field(
        default=None,
        description=(
            "The pipeline's name in Kubeflow (lower-case letters, digits and '-'); default "
            "the pipeline name with '-' for '_'."
        ),
    )
    image: str | None = Field(
        default=None,
        description=(
            "The image every component runs in: the one built from <name>_Dockerfile (kfp, "
            "the requirements and the module), pushed where the cluster pulls from; "
            "default <pipeline id>:latest."
        ),
    )
    base_image: str | None = Field(
        default=None,
        description=(
            "The Dockerfile's FROM; default python:<X.Y>-slim for the Python the artifacts "
            "were traced with."
        ),
    )
    host: str | None = Field(
        default=None,
        description=(
            "The Kubeflow Pipelines API (http(s)://...) `python <name>_dag.py --submit` "
            "sends runs to; `--host` overrides it. Nothing contacts it otherwise."
        ),
    )
    namespace: str | None = Field(
        default=None, description="The Kubeflow namespace of submitted runs (multi-user)."
    )
    experiment: str | None = Field(
        default=None, description="The experiment submitted runs are filed under."
    )
    pipeline_root: str | None = Field(
        default=None,
        description=(
            "Where Kubeflow keeps the values components hand on (gs://, s3://, minio://); "
            "default the cluster's."
        ),
    )
    enable_caching: bool = Field(
        default=False,
        description=(
            "Let Kubeflow reuse a component's earlier outputs when its inputs are the same. "
            "Off by default: components read files Kubeflow cannot see change."
        ),
    )

    @field_validator("pipeline_id")
    @classmethod
    def _pipeline_id(cls, value: str | None) -> str | None:
        if value is not None and not _PIPELINE_NAME.match(value):
            raise ValueError(
                "a Kubeflow pipeline name holds lower-case letters, digits and '-', "
                "starts with a letter or digit and has at most 128 characters"
            )
        return value

    @field_validator("image", "base_image")
    @classmethod
    def _image(cls, value: str | None) -> str | None:
        if value is not None and not _IMAGE.match(value):
            raise ValueError(
                "expected an image reference such as 'registry.example.com/team/iris:1.0'"
            )
        return value

    @field_validator("host")
    @classmethod
    def _host(cls, value: str | None) -> str | None:
        if value is not None and not _URL.match(value):
            raise ValueError("expected the URL of the Kubeflow Pipelines API, http(s)://...")
        return value

    @field_validator("pipeline_root")
    @classmethod
    def _pipeline_root(cls, value: str | None) -> str | None:
        if value is not None and not _OBJECT_STORE.match(value):
            raise ValueError(
                "expected an object store URL Kubeflow writes to, such as "
                "'s3://bucket/pipelines', 'gs://...' or 'minio://...'"
            )
        return value

    @field_validator("namespace")
    @classmethod
    def _namespace(cls, value: str | None) -> str | None:
        if value is not None and not re.match(r"^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$", value):
            raise ValueError(
                "a Kubernetes namespace holds lower-case letters, digits and '-' "
                "(at most 63 characters)"
            )
        return value

    @field_validator("experiment")
    @classmethod
    def _experiment(cls, value: str | None) -> str | None:
        if value is not None and not value.strip():
            raise ValueError("an experiment name cannot be empty")
        return value
