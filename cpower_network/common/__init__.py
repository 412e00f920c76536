"""What every stage shares, and nothing stage-specific: wording of counts and names
(:mod:`.wording`), text safe for a terminal (:mod:`.terminal`), JSON text
(:mod:`.json_text`), atomic output files (:mod:`.files`), notebook reprs
(:mod:`.notebook`), names a package lends on first use (:mod:`.lazy`) and the
writers' hand-off (:mod:`.handoff`).
"""
