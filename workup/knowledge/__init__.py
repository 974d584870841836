"""The knowledge base inside Django: loaded once per process from settings, checked at start-up
(a system check), readable as a page, and the assessment contract on the command line
(`manage.py recommend`). Below accounts, clinic and documents; above the engine only."""
