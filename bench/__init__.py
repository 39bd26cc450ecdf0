"""`make bench`: writer stalls during the online migrations, measured against their naive forms.

Run it with `python -m bench --help`; bench/__main__.py says what it does, step by step.
"""
