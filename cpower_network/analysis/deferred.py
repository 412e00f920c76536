"""How the analysis starts a costly computation, and draws the seeds of its random ones.

A :data:`Submit` function (a thread pool's ``submit``, or :func:`run_now`) starts a
computation and gives a Future; ``_draw`` takes the next seed from the wave's generator,
so every seed is drawn in the same order whichever way computations run.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future

import numpy as np

#: How a costly computation is started: ``submit(fn, *args, **kwargs)`` gives a Future.
Submit = Callable[..., Future]


def run_now(fn: Callable[..., object], *args: object, **kwargs: object) -> Future:
    """A Future already holding ``fn(*args, **kwargs)`` (computed here, at once)."""
    done: Future = Future()
    done.set_result(fn(*args, **kwargs))
    return done


def _draw(rng: np.random.Generator) -> int:
    return int(rng.integers(0, 2**31 - 1))
