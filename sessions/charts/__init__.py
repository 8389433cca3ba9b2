"""SVG charts: the drawing primitives (svg), the cluster charts of a comparison (clusters) and the Quick Scan chart (quickscan)."""
