"""AsylumEngine: the EU/Dutch asylum and migration system as runnable software.

Layers depend one way: ``law`` + ``data`` -> engines (``solidarity``; ``routes`` and
``sim`` to come) -> interfaces (``cli``; API and web app to come).
"""

__version__ = "0.1.0"
