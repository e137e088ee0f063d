"""Reports: the engines' results as tables, charts and memo-ready documents (interface layer).

Presentation only: every figure comes from an engine's result object.
"""
