"""cpower-network: coalition surveys → member networks → how power is shared.

>>> import cpower_network as cp
>>> cp.__version__
'0.1.0'
"""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["__version__"]
