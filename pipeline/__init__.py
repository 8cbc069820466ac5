"""zhnews: Chinese news reports to structured, checkable records.

    import pipeline
    doc = pipeline.extract(text)                 # one article -> Document
    for doc in pipeline.extract_paths(["corpora/seeds"]):   # a batch
        ...
    frames = pipeline.to_dataframes(docs)        # pandas, when installed
"""

__version__ = "0.1.0"

from pipeline.batch import Summary, extract_paths  # noqa: E402
from pipeline.core import extract  # noqa: E402
from pipeline.frames import to_dataframes  # noqa: E402
from pipeline.records import SCHEMA_VERSION, Document  # noqa: E402

__all__ = ["Document", "SCHEMA_VERSION", "Summary", "__version__", "extract", "extract_paths",
           "to_dataframes"]
