"""linea-s3: keep linea's artifact values in Amazon S3 or any S3-compatible store.

Set ``artifact_storage_dir`` to ``s3://bucket/prefix`` (and, if needed,
``storage_options``); see the README's "Storing values in S3". The ``linea s3`` commands
check access and abort unfinished uploads (:mod:`linea_s3.location`).
"""

__version__ = "0.1.0"
