"""Files in and out, safely: atomic writes, YAML with limits, CSV as spreadsheets save it.

Base layer (like ``law`` and ``data``): engines and interfaces use it, it uses neither.
"""

from asylumengine.io.atomic import OutputPathError, atomic_dir, atomic_path, check_output
from asylumengine.io.safeyaml import YamlInputError, load_json, load_yaml

__all__ = ["OutputPathError", "YamlInputError", "atomic_dir", "atomic_path", "check_output", "load_json", "load_yaml"]
