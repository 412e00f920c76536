"""Where the shared reference data (classic networks, format schemas) live.

``CPOWER_DATASETS`` names the folder explicitly (``.ci/run`` sets it); otherwise it is
``../shared/datasets`` beside the repository. Tests that need it skip with a clear
reason when it is absent.
"""

import os
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parents[1]


def datasets() -> Path:
    """The shared datasets folder (it may not exist)."""
    named = os.environ.get("CPOWER_DATASETS")
    return Path(named) if named else REPOSITORY.parent / "shared" / "datasets"
