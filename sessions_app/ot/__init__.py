"""Operational transformation for the collaborative editor.

``text_unicode`` is the OT type (a port of the npm package ``ot-text-unicode`` 4.x); the
ShareDB-compatible protocol server builds on it.
"""
