"""The pure training core: profile, plan model, rules, planner, checker, advice.

Nothing here imports the CLI, the web app or the database; the clock and the catalogue
are passed in.
"""
