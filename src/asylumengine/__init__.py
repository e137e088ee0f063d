"""AsylumEngine: the EU/Dutch asylum and migration system as runnable software.

- ``law``: the law's dated parameters (YAML, with citations), the verbatim article texts, and the
  rule registry (``law.rules``) that ties each encoded article to the code that encodes it;
- ``data``: sourced figures (population, GDP, asylum statistics) and Member State codes;
- engines: ``solidarity`` (AMMR Part IV: fair shares, pool, pledges, offsets), ``routes`` (the
  procedural route of one case or a million, with deadlines and articles, in English and Dutch
  from the message catalogues in ``locale/``) and ``sim`` (the asylum chain simulated, Monte Carlo
  on Dask);
- interfaces: ``cli`` (the ``asylum`` command), ``api`` (the REST API and the web app on one server,
  ``asylum serve``), ``web`` (its pages) and ``reports`` (memo reports in HTML and PDF, charts,
  tables, result manifests).

Layers depend one way: ``law`` + ``data`` -> engines -> interfaces (tests/test_layers.py).
"""

__version__ = "0.6.0"
