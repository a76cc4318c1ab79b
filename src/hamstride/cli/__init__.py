"""The ``hamstride`` command line: a thin shell that parses, calls the core or the store,
and renders. ``main`` stays light so that ``hamstride --help`` starts fast; every command
imports what it needs when it runs.
"""
