"""The schema at the head revision as plain SQL, to create a new database quickly.

Generated from the alembic revisions (alembic's offline mode); do not edit. After
adding a revision run ``python -m linea_core.store.migrate > linea_core/store/head_schema.py``
(then ``ruff format`` it); a test fails until the two agree.
"""

REVISION = "0004"

SQLITE: tuple[str, ...] = (
    "CREATE TABLE alembic_version (\n    version_num VARCHAR(32) NOT NULL,\n    CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num)\n)",
    "CREATE TABLE sessions (\n    id VARCHAR(36) NOT NULL,\n    name VARCHAR(255),\n    created_at DATETIME NOT NULL,\n    python_version VARCHAR(64),\n    working_dir TEXT,\n    entry_path TEXT,\n    CONSTRAINT pk_sessions PRIMARY KEY (id)\n)",
    'CREATE TABLE blocks (\n    session_id VARCHAR(36) NOT NULL,\n    "index" INTEGER NOT NULL,\n    source TEXT NOT NULL,\n    filename TEXT NOT NULL,\n    CONSTRAINT pk_blocks PRIMARY KEY (session_id, "index"),\n    CONSTRAINT fk_blocks_session_id_sessions FOREIGN KEY(session_id) REFERENCES sessions (id) ON DELETE CASCADE\n)',
    'CREATE TABLE nodes (\n    session_id VARCHAR(36) NOT NULL,\n    id INTEGER NOT NULL,\n    block INTEGER NOT NULL,\n    lineno INTEGER NOT NULL,\n    end_lineno INTEGER NOT NULL,\n    source TEXT NOT NULL,\n    kind VARCHAR(32) NOT NULL,\n    deps JSON NOT NULL,\n    external_writes JSON NOT NULL,\n    note TEXT NOT NULL,\n    CONSTRAINT pk_nodes PRIMARY KEY (session_id, id),\n    CONSTRAINT fk_nodes_block_blocks FOREIGN KEY(session_id, block) REFERENCES blocks (session_id, "index") ON DELETE CASCADE,\n    CONSTRAINT fk_nodes_session_id_sessions FOREIGN KEY(session_id) REFERENCES sessions (id) ON DELETE CASCADE\n)',
    "CREATE INDEX ix_nodes_session_block ON nodes (session_id, block)",
    "CREATE TABLE stored_values (\n    id INTEGER NOT NULL,\n    sha256 VARCHAR(64) NOT NULL,\n    serializer VARCHAR(64) NOT NULL,\n    backend VARCHAR(64) NOT NULL,\n    location TEXT NOT NULL,\n    backend_metadata JSON NOT NULL,\n    size BIGINT NOT NULL,\n    created_at DATETIME NOT NULL,\n    CONSTRAINT pk_stored_values PRIMARY KEY (id),\n    CONSTRAINT uq_stored_values_content UNIQUE (backend, serializer, sha256)\n)",
    "CREATE TABLE artifact_version_counters (\n    name VARCHAR(255) NOT NULL,\n    next_version INTEGER NOT NULL,\n    CONSTRAINT pk_artifact_version_counters PRIMARY KEY (name)\n)",
    "CREATE TABLE artifacts (\n    id INTEGER NOT NULL,\n    name VARCHAR(255) NOT NULL,\n    version INTEGER NOT NULL,\n    date_created DATETIME NOT NULL,\n    session_id VARCHAR(36),\n    node_id INTEGER,\n    slice_root JSON,\n    value_id INTEGER,\n    external_state VARCHAR(32),\n    storage_backend VARCHAR(64) NOT NULL,\n    metadata JSON NOT NULL,\n    CONSTRAINT pk_artifacts PRIMARY KEY (id),\n    CONSTRAINT fk_artifacts_session_id_sessions FOREIGN KEY(session_id) REFERENCES sessions (id) ON DELETE SET NULL,\n    CONSTRAINT fk_artifacts_value_id_stored_values FOREIGN KEY(value_id) REFERENCES stored_values (id) ON DELETE RESTRICT,\n    CONSTRAINT uq_artifacts_name_version UNIQUE (name, version)\n)",
    "CREATE INDEX ix_artifacts_session_id ON artifacts (session_id)",
    "CREATE INDEX ix_artifacts_value_id ON artifacts (value_id)",
    "CREATE TABLE pipelines (\n    id INTEGER NOT NULL,\n    name VARCHAR(255) NOT NULL,\n    framework VARCHAR(64) NOT NULL,\n    artifact_names JSON NOT NULL,\n    dependencies JSON NOT NULL,\n    created_at DATETIME NOT NULL,\n    CONSTRAINT pk_pipelines PRIMARY KEY (id)\n)",
    "INSERT INTO alembic_version (version_num) VALUES ('0001') RETURNING version_num",
    "CREATE TABLE _alembic_tmp_stored_values (\n    id INTEGER NOT NULL,\n    content_hash VARCHAR(80),\n    serializer VARCHAR(64),\n    backend VARCHAR(64) NOT NULL,\n    location TEXT NOT NULL,\n    backend_metadata JSON NOT NULL,\n    size BIGINT NOT NULL,\n    created_at DATETIME NOT NULL,\n    root TEXT DEFAULT '' NOT NULL,\n    CONSTRAINT pk_stored_values PRIMARY KEY (id)\n)",
    "INSERT INTO _alembic_tmp_stored_values (id, content_hash, serializer, backend, location, backend_metadata, size, created_at) SELECT stored_values.id, stored_values.sha256, stored_values.serializer, stored_values.backend, stored_values.location, stored_values.backend_metadata, stored_values.size, stored_values.created_at\nFROM stored_values",
    "DROP TABLE stored_values",
    "ALTER TABLE _alembic_tmp_stored_values RENAME TO stored_values",
    "UPDATE stored_values SET content_hash = 'sha256:' || content_hash",
    "CREATE UNIQUE INDEX uq_stored_values_place ON stored_values (backend, root, serializer, content_hash)",
    "UPDATE alembic_version SET version_num='0002' WHERE alembic_version.version_num = '0001'",
    "CREATE TABLE session_packages (\n    session_id VARCHAR(36) NOT NULL,\n    module VARCHAR(255) NOT NULL,\n    distribution VARCHAR(255),\n    version VARCHAR(128),\n    CONSTRAINT pk_session_packages PRIMARY KEY (session_id, module),\n    CONSTRAINT fk_session_packages_session_id_sessions FOREIGN KEY(session_id) REFERENCES sessions (id) ON DELETE CASCADE\n)",
    "ALTER TABLE pipelines ADD COLUMN options JSON",
    "CREATE INDEX ix_pipelines_name ON pipelines (name)",
    "UPDATE alembic_version SET version_num='0003' WHERE alembic_version.version_num = '0002'",
    "ALTER TABLE sessions ADD COLUMN graph_revision INTEGER DEFAULT '0' NOT NULL",
    "CREATE TABLE artifact_code (\n    artifact_id INTEGER NOT NULL,\n    variant VARCHAR(64) NOT NULL,\n    engine VARCHAR(80) NOT NULL,\n    graph_revision INTEGER NOT NULL,\n    code TEXT NOT NULL,\n    CONSTRAINT pk_artifact_code PRIMARY KEY (artifact_id, variant),\n    CONSTRAINT fk_artifact_code_artifact_id_artifacts FOREIGN KEY(artifact_id) REFERENCES artifacts (id) ON DELETE CASCADE\n)",
    "UPDATE alembic_version SET version_num='0004' WHERE alembic_version.version_num = '0003'",
)

POSTGRESQL: tuple[str, ...] = (
    "CREATE TABLE alembic_version (\n    version_num VARCHAR(32) NOT NULL,\n    CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num)\n)",
    "CREATE TABLE sessions (\n    id VARCHAR(36) NOT NULL,\n    name VARCHAR(255),\n    created_at TIMESTAMP WITH TIME ZONE NOT NULL,\n    python_version VARCHAR(64),\n    working_dir TEXT,\n    entry_path TEXT,\n    CONSTRAINT pk_sessions PRIMARY KEY (id)\n)",
    "CREATE TABLE blocks (\n    session_id VARCHAR(36) NOT NULL,\n    index INTEGER NOT NULL,\n    source TEXT NOT NULL,\n    filename TEXT NOT NULL,\n    CONSTRAINT pk_blocks PRIMARY KEY (session_id, index),\n    CONSTRAINT fk_blocks_session_id_sessions FOREIGN KEY(session_id) REFERENCES sessions (id) ON DELETE CASCADE\n)",
    "CREATE TABLE nodes (\n    session_id VARCHAR(36) NOT NULL,\n    id INTEGER NOT NULL,\n    block INTEGER NOT NULL,\n    lineno INTEGER NOT NULL,\n    end_lineno INTEGER NOT NULL,\n    source TEXT NOT NULL,\n    kind VARCHAR(32) NOT NULL,\n    deps JSON NOT NULL,\n    external_writes JSON NOT NULL,\n    note TEXT NOT NULL,\n    CONSTRAINT pk_nodes PRIMARY KEY (session_id, id),\n    CONSTRAINT fk_nodes_block_blocks FOREIGN KEY(session_id, block) REFERENCES blocks (session_id, index) ON DELETE CASCADE,\n    CONSTRAINT fk_nodes_session_id_sessions FOREIGN KEY(session_id) REFERENCES sessions (id) ON DELETE CASCADE\n)",
    "CREATE INDEX ix_nodes_session_block ON nodes (session_id, block)",
    "CREATE TABLE stored_values (\n    id SERIAL NOT NULL,\n    sha256 VARCHAR(64) NOT NULL,\n    serializer VARCHAR(64) NOT NULL,\n    backend VARCHAR(64) NOT NULL,\n    location TEXT NOT NULL,\n    backend_metadata JSON NOT NULL,\n    size BIGINT NOT NULL,\n    created_at TIMESTAMP WITH TIME ZONE NOT NULL,\n    CONSTRAINT pk_stored_values PRIMARY KEY (id),\n    CONSTRAINT uq_stored_values_content UNIQUE (backend, serializer, sha256)\n)",
    "CREATE TABLE artifact_version_counters (\n    name VARCHAR(255) NOT NULL,\n    next_version INTEGER NOT NULL,\n    CONSTRAINT pk_artifact_version_counters PRIMARY KEY (name)\n)",
    "CREATE TABLE artifacts (\n    id SERIAL NOT NULL,\n    name VARCHAR(255) NOT NULL,\n    version INTEGER NOT NULL,\n    date_created TIMESTAMP WITH TIME ZONE NOT NULL,\n    session_id VARCHAR(36),\n    node_id INTEGER,\n    slice_root JSON,\n    value_id INTEGER,\n    external_state VARCHAR(32),\n    storage_backend VARCHAR(64) NOT NULL,\n    metadata JSON NOT NULL,\n    CONSTRAINT pk_artifacts PRIMARY KEY (id),\n    CONSTRAINT fk_artifacts_session_id_sessions FOREIGN KEY(session_id) REFERENCES sessions (id) ON DELETE SET NULL,\n    CONSTRAINT fk_artifacts_value_id_stored_values FOREIGN KEY(value_id) REFERENCES stored_values (id) ON DELETE RESTRICT,\n    CONSTRAINT uq_artifacts_name_version UNIQUE (name, version)\n)",
    "CREATE INDEX ix_artifacts_session_id ON artifacts (session_id)",
    "CREATE INDEX ix_artifacts_value_id ON artifacts (value_id)",
    "CREATE TABLE pipelines (\n    id SERIAL NOT NULL,\n    name VARCHAR(255) NOT NULL,\n    framework VARCHAR(64) NOT NULL,\n    artifact_names JSON NOT NULL,\n    dependencies JSON NOT NULL,\n    created_at TIMESTAMP WITH TIME ZONE NOT NULL,\n    CONSTRAINT pk_pipelines PRIMARY KEY (id)\n)",
    "INSERT INTO alembic_version (version_num) VALUES ('0001') RETURNING alembic_version.version_num",
    "ALTER TABLE stored_values DROP CONSTRAINT uq_stored_values_content",
    "ALTER TABLE stored_values ALTER COLUMN sha256 TYPE VARCHAR(80)",
    "ALTER TABLE stored_values ALTER COLUMN sha256 DROP NOT NULL",
    "ALTER TABLE stored_values RENAME sha256 TO content_hash",
    "ALTER TABLE stored_values ALTER COLUMN serializer DROP NOT NULL",
    "ALTER TABLE stored_values ADD COLUMN root TEXT DEFAULT '' NOT NULL",
    "UPDATE stored_values SET content_hash = 'sha256:' || content_hash",
    "CREATE UNIQUE INDEX uq_stored_values_place ON stored_values (backend, root, serializer, content_hash)",
    "UPDATE alembic_version SET version_num='0002' WHERE alembic_version.version_num = '0001'",
    "CREATE TABLE session_packages (\n    session_id VARCHAR(36) NOT NULL,\n    module VARCHAR(255) NOT NULL,\n    distribution VARCHAR(255),\n    version VARCHAR(128),\n    CONSTRAINT pk_session_packages PRIMARY KEY (session_id, module),\n    CONSTRAINT fk_session_packages_session_id_sessions FOREIGN KEY(session_id) REFERENCES sessions (id) ON DELETE CASCADE\n)",
    "ALTER TABLE pipelines ADD COLUMN options JSON",
    "CREATE INDEX ix_pipelines_name ON pipelines (name)",
    "UPDATE alembic_version SET version_num='0003' WHERE alembic_version.version_num = '0002'",
    "ALTER TABLE sessions ADD COLUMN graph_revision INTEGER DEFAULT '0' NOT NULL",
    "CREATE TABLE artifact_code (\n    artifact_id INTEGER NOT NULL,\n    variant VARCHAR(64) NOT NULL,\n    engine VARCHAR(80) NOT NULL,\n    graph_revision INTEGER NOT NULL,\n    code TEXT NOT NULL,\n    CONSTRAINT pk_artifact_code PRIMARY KEY (artifact_id, variant),\n    CONSTRAINT fk_artifact_code_artifact_id_artifacts FOREIGN KEY(artifact_id) REFERENCES artifacts (id) ON DELETE CASCADE\n)",
    "UPDATE alembic_version SET version_num='0004' WHERE alembic_version.version_num = '0003'",
)
