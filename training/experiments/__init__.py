"""Experiments kept for comparison: earlier or alternative models; nothing shipped is built here."""
