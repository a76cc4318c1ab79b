"""The web app and the REST API: thin shells over ``hamstride.coach`` and the core.

- ``app.py``: the application factory (one per worker process).
- ``api/``: JSON endpoints under /api/v1.
- ``pages/``: server-rendered HTML pages (Jinja2 templates, htmx, a little plain JS).
- ``errors.py``: the one mapping of hamstride's exception tree to HTTP.
"""
