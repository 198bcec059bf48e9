"""The table of configuration items: one place that the model, the CLI and the docs follow.

Kept free of pydantic and of anything else heavy so ``linea --help`` can list every
global option without paying for validation machinery it does not use.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType

CONFIG_FILE_NAME = "linea_config.json"
ENV_PREFIX = "LINEA_"
DEFAULT_HOME_DIR = "~/.linea"
LOGGING_LEVELS = ("CRITICAL", "ERROR", "WARNING", "INFO", "DEBUG", "NOTSET")


@dataclass(frozen=True)
class ConfigItem:
    """One configuration item.

    ``from_env_and_cli`` is False for items whose value is a mapping: passing a dict
    through an environment variable or a command-line flag is awkward and error prone,
    so (as in LineaPy) such items are set only in the file or with ``options.set``.
    """

    name: str
    help: str
    default: str
    from_env_and_cli: bool = True

    @property
    def env_var(self) -> str | None:
        return ENV_PREFIX + self.name.upper() if self.from_env_and_cli else None

    @property
    def cli_flag(self) -> str | None:
        return "--" + self.name.replace("_", "-") if self.from_env_and_cli else None


CONFIG_ITEMS: tuple[ConfigItem, ...] = (
    ConfigItem("home_dir", "Linea's base folder.", DEFAULT_HOME_DIR),
    ConfigItem(
        "artifact_storage_dir",
        "Where artifact values are written (a local path or an fsspec URL such as s3://bucket/dir).",
        "<home_dir>/linea_pickles",
    ),
    ConfigItem(
        "database_url",
        "SQLAlchemy URL of the artifact database (sqlite:///... or postgresql://...).",
        "sqlite:///<home_dir>/db.sqlite",
    ),
    ConfigItem(
        "customized_annotation_folder",
        "Folder holding the user's own annotation packs (linea annotate add).",
        "<home_dir>/customized_annotations",
    ),
    ConfigItem("logging_level", "Logging level: " + ", ".join(LOGGING_LEVELS) + ".", "INFO"),
    ConfigItem("logging_file", "File the linea command logs to.", "<home_dir>/linea.log"),
    ConfigItem(
        "storage_options",
        "fsspec storage options for artifact_storage_dir (a JSON object); "
        "linea_config.json or options.set only.",
        "none",
        from_env_and_cli=False,
    ),
    ConfigItem("mlflow_tracking_uri", "MLflow tracking URI.", "none"),
    ConfigItem("mlflow_registry_uri", "MLflow model registry URI.", "none"),
    ConfigItem(
        "default_ml_models_storage_backend",
        "Storage backend used for ML models when MLflow is configured.",
        "mlflow",
    ),
)

ITEMS_BY_NAME = MappingProxyType({item.name: item for item in CONFIG_ITEMS})
