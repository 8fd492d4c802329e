"""The submission portal: a web page for subsidiaries, auditors and headquarters.

Beside the pipeline, on top of the ledger: subsidiaries upload workbooks and see their
findings, auditors review, headquarters manage entities, users and periods and build the
group report. ``envreport serve`` starts it; :func:`create_app` builds the ASGI application.
See ``docs/portal.md``.
"""

from envreport.portal.app import create_app
from envreport.portal.state import PortalSettings

__all__ = ["PortalSettings", "create_app"]
