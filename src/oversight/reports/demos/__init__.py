"""The demo report periods beyond seed 002's: each module loads one seed paper's plan, period and
records through the public importers and names the report it writes."""
