"""What every app shares and that knows no domain: the clock, page twins (.json and .csv), URL
converters for periods, upload saving and limits, the form base and edit locking, the page cache,
the command base, template tags and the site's base templates, the API's problem schemas, and the
renderers that turn one composed document into HTML, PDF and DOCX. It imports no domain app."""
