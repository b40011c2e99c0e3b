"""Workbench stage: the archivist's local web application (``arkivlucka serve``).

Server-rendered pages (Starlette, Jinja2 with autoescape) over the library: review an
imported incident beside the form's words, confirm or correct it, preview the Swedish text
and file it. Only the command line sits above this stage. Swedish through message catalogs
(``locale/``), English as a switch.
"""
