"""Law as code: the procedural route of an asylum case, for one case or a million."""
