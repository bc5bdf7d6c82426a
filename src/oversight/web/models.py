"""The front door keeps no records of its own (the Panel release moved to plans.PanelRelease)."""
