"""envreport: environmental disclosure reports from submission workbooks.

The pipeline reads top to bottom: ``io`` (workbook → raw cells) → ``validate``
(raw cells → typed :class:`~envreport.submission.Submission` + findings) → ``metrics``
(submission → results) → ``render`` (results → HTML/PDF). ``pipeline`` chains them.
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("envreport")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0+unknown"
