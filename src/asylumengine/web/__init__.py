"""The web app: server-rendered pages (Jinja2) and small vanilla JS over the REST API.

No build step and no CDN: plotly.js is the file the Python plotly package ships. Every UI
string comes from the catalogue of the chosen language (``i18n/en.yaml``, ``i18n/nl.yaml``).
"""

from asylumengine.web.pages import mount

__all__ = ["mount"]
