"""``pipeline_dag_config`` for ``framework="ARGO"``: where the workflow runs (namespace,
service account, the Argo server the workflow file submits to), the image its steps run
in, and how linea splits the pipeline into steps.

Names are checked against the rules Kubernetes and Argo apply when the workflow is
submitted, so a bad name is an error when the pipeline is written, not later on the
cluster. LineaPy's keys are accepted too: ``dag_flavor`` (``StepPerSession``...),
``workflow_name``, ``image``, ``image_pull_policy``, ``namespace``, ``service_account``,
``host`` and ``verify_ssl``. Its ``token`` is refused: a token written into a generated
file ends up in version control; the workflow file reads ``ARGO_TOKEN`` instead.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, Literal

from pydantic import Field, field_validator

from linea_core.pipeline import TaskBreakdown
from linea_core.pipeline.options import TaskedWriterOptions

# LineaPy's dag_flavor values (it only knew StepPerSession; the others follow its naming).
_FLAVORS: Mapping[str, TaskBreakdown] = {
    "stepperartifact": TaskBreakdown.ARTIFACT,
    "steppersession": TaskBreakdown.SESSION,
    "stepperpipeline": TaskBreakdown.PIPELINE,
}
# Kubernetes: a DNS-1123 label (namespaces, name prefixes) and subdomain (service accounts).
_LABEL = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
_SUBDOMAIN = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")
# A container image reference: [registry[:port]/]path[:tag][@digest], lowercase path.
_IMAGE = re.compile(
    r"^(?:[A-Za-z0-9.-]+(?::[0-9]+)?/)?[a-z0-9]+(?:[._-]+[a-z0-9]+)*"
    r"(?:/[a-z0-9]+(?:[._-]+[a-z0-9]+)*)*(?::[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?"
    r"(?:@sha256:[a-f0-9]{64})?$"
)
# Argo names a workflow <prefix><5 random characters>; its names must fit in 63.
MAX_PREFIX = 57


class ArgoOptions(TaskedWriterOptions):
    """The keys ``pipeline_dag_config`` accepts for ``framework="ARGO"``."""

    lineapy_flavors = _FLAVORS

    template: Literal["script", "container"] = Field(
        default="script",
        description=(
            "Kind of the steps' templates: 'script' (each step's code inline in the "
            "workflow) or 'container' (the image holds <name>_argo_steps.py, each step "
            "runs its function)."
        ),
    )
    image: str | None = Field(
        default=None,
        description=(
            "Image the steps run in: it must hold the pipeline module in its working "
            "directory and the requirements (the generated Dockerfile builds one); default "
            "<pipeline-name>:latest."
        ),
    )
    image_pull_policy: Literal["Always", "IfNotPresent", "Never"] = Field(
        default="IfNotPresent",
        description="When Kubernetes pulls the image: Always, IfNotPresent or Never.",
    )
    namespace: str = Field(default="argo", description="Kubernetes namespace the workflow runs in.")
    workflow_name: str | None = Field(
        default=None,
        description=(
            "Prefix of the workflow's name (Argo appends 5 random characters to each "
            "submission); default the pipeline name with '-' for '_'."
        ),
    )
    service_account: str | None = Field(
        default=None,
        description="Kubernetes service account the steps run as; default the namespace's.",
    )
    host: str | None = Field(
        default=None,
        description=(
            "Argo server the workflow file submits to (`--submit`), such as "
            "https://localhost:2746; ARGO_SERVER or --host override it."
        ),
    )
    verify_ssl: bool = Field(
        default=True, description="Check the Argo server's TLS certificate when submitting."
    )
    token: None = Field(
        default=None,
        description="Refused: set ARGO_TOKEN where the workflow is submitted.",
    )
    base_image: str | None = Field(
        default=None,
        description="Base image of the Dockerfile; default python:<X.Y>-slim as traced.",
    )

    @field_validator("token", mode="before")
    @classmethod
    def _no_token(cls, value: Any) -> None:
        if value is not None:
            raise ValueError(
                "tokens are never written into generated files: set the environment "
                "variable ARGO_TOKEN where you submit the workflow"
            )
        return None

    @field_validator("image", "base_image")
    @classmethod
    def _image(cls, value: str | None) -> str | None:
        if value is not None and (len(value) > 255 or not _IMAGE.match(value)):
            raise ValueError(
                "not an image reference: expected [registry/]name[:tag][@sha256:digest] "
                "with a lowercase name, such as registry.example.com/team/iris:1.0"
            )
        return value

    @field_validator("namespace")
    @classmethod
    def _namespace(cls, value: str) -> str:
        if len(value) > 63 or not _LABEL.match(value):
            raise ValueError(
                "a namespace is at most 63 lowercase letters, digits and '-', starting and "
                "ending with a letter or digit"
            )
        return value

    @field_validator("workflow_name")
    @classmethod
    def _workflow_name(cls, value: str | None) -> str | None:
        if value is not None and (len(value) > MAX_PREFIX or not _LABEL.match(value)):
            raise ValueError(
                f"a workflow name is at most {MAX_PREFIX} lowercase letters, digits and '-', "
                "starting and ending with a letter or digit"
            )
        return value

    @field_validator("service_account")
    @classmethod
    def _service_account(cls, value: str | None) -> str | None:
        if value is not None and (len(value) > 253 or not _SUBDOMAIN.match(value)):
            raise ValueError(
                "a service account name is lowercase letters, digits, '-' and '.', starting "
                "and ending with a letter or digit"
            )
        return value

    @field_validator("host")
    @classmethod
    def _host(cls, value: str | None) -> str | None:
        if value is not None and not re.match(r"^https?://[^\s/]+(/\S*)?$", value):
            raise ValueError(
                "expected the Argo server's URL with its scheme, such as https://localhost:2746"
            )
        return value
