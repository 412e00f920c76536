"""Network measures: pure functions, graph first, plain Python and pandas results."""
