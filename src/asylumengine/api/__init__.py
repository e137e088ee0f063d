"""The REST API over the engines (FastAPI): routes, solidarity, scenarios and simulation jobs,
article texts, memo reports. Every result carries the manifest (code version, law and data
hashes, seed, inputs). OpenAPI docs at ``/docs``.

    >>> from asylumengine.api import create_app
    >>> app = create_app()          # uvicorn asylumengine.api:create_app --factory
"""

from asylumengine.api.app import create_app

__all__ = ["create_app"]
