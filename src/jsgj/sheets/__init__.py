"""Spreadsheets in and out: the return form (进展填报表), reading filled-in returns, and
the ledger (台账).

Layers, as elsewhere in jsgj: ``form`` and ``ledger`` build plain data from the store's
records (no SQL, no file formats); ``xlsx`` and ``csvfile`` write and read files (no
database); ``returns`` turns a filled-in file into :class:`jsgj.store.imports.ReportRow`
values for the store to check and record. openpyxl is imported only inside ``xlsx``,
so commands that never touch a spreadsheet do not pay for it.
"""
