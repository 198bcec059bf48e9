"""What type checkers and editors see of ``linea_core``: its lazily imported names.

``__init__.py`` imports these on first use (``_LAZY``); a stub, rather than imports
under ``if TYPE_CHECKING:``, keeps the package's import graph free of edges from the
root to every layer, which the import contracts would count against any module that
reads ``linea_core.__version__``. ``tests/api/test_public_types.py`` keeps the two in
step.
"""

from linea_core.api.artifact import LineaArtifact as LineaArtifact
from linea_core.api.artifact_store import LineaArtifactStore as LineaArtifactStore
from linea_core.api.functions import artifact_store as artifact_store
from linea_core.api.functions import delete as delete
from linea_core.api.functions import get as get
from linea_core.api.functions import reload as reload
from linea_core.api.functions import save as save
from linea_core.api.options import options as options
from linea_core.api.pipelines import LineaPipeline as LineaPipeline
from linea_core.api.pipelines import create_pipeline as create_pipeline
from linea_core.api.pipelines import get_function as get_function
from linea_core.api.pipelines import get_module as get_module
from linea_core.api.pipelines import get_module_definition as get_module_definition
from linea_core.api.pipelines import get_pipeline as get_pipeline
from linea_core.api.pipelines import to_pipeline as to_pipeline
from linea_core.api.tracing import db as db
from linea_core.api.tracing import file_system as file_system
from linea_core.api.tracing import tag as tag
from linea_core.api.tracing import trace as trace
from linea_core.notebook import load_ipython_extension as load_ipython_extension
from linea_core.notebook import unload_ipython_extension as unload_ipython_extension
from linea_core.notebook.pictures import visualize as visualize

__version__: str
__all__: list[str]

def __dir__() -> list[str]: ...
