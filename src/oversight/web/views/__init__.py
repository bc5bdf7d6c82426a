"""The web application's views, split by topic: public site, staff workspace, data collection."""
