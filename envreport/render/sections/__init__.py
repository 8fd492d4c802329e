"""One module per report section: each turns its part of the typed results
(:class:`envreport.results.Results`) into the plain data its template prints.

:func:`envreport.render.context.build_context` calls them in report order; the templates only
loop and test, so every report decision (what is "not reported", which label a code gets)
lives in these functions.
"""
