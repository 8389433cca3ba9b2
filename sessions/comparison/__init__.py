"""Fase 2: the comparison of the submitted formats (matrix), its prompts, and the page, the presentation mode and the PDF that show it (present)."""
