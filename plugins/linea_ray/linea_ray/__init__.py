"""linea-ray: ``to_pipeline(..., framework="RAY")`` writes a Ray program.

Each task of the pipeline (an artifact, a session, or everything) is a ``@ray.remote``
function; values move between tasks through Ray's object store and the artifacts'
values come back with one ``ray.get``. ``ray.workflow``, which LineaPy used, was removed
from Ray: the program uses Ray's core API only. Options:
:class:`linea_ray.options.RayOptions`.
"""

#: The Ray release the generated requirements pin and the tests run.
RAY_VERSION = "2.60.0"
