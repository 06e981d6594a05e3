"""The sample backlogs' source: one module per sample, in the order `groom --demo` lists them."""

from __future__ import annotations

from sample_backlogs.source import banking, platform, webshop

SAMPLES = (webshop.SAMPLE, banking.SAMPLE, platform.SAMPLE)
