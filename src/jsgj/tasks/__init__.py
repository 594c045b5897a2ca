"""The task rules, in one place: the records every view is built from, task ids,
who is responsible and in which role, the checks on reports and lifecycle steps, the
aggregation of city shares into their parent, the counting rule, and the one task
line (status, percent, light, reason) every view shows.

Nothing here reads or writes the database: ``jsgj.store`` persists and queries and
calls these rules; ``jsgj.reports``, ``jsgj.render`` and ``jsgj.sheets`` build views
from these records. Rules return problems with a field and a code; the CLI and the
spreadsheet import put them in their own words (an option name, a column name).
"""
