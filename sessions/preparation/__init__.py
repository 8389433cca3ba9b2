"""Fase 1: one organisation's format, filled in privately by its members, saved, merged, submitted and withdrawn."""
