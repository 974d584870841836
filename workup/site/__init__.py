"""The edge of the site: the home page, the health checks, the error pages, the headers every
response gets, the privacy filter for error reports, and the compile_translations command.

The error pages are templates/403.html and templates/404.html: they stay at the top of the
templates folder, where Django looks for them, but belong to this app. It sits above the
clinical apps and nothing below imports it.
"""
