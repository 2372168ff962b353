"""Meeting-ready exports of a case: its facts, the workbook, the deck and chart images.

No st.*: every builder takes the projection (and the control values) and returns bytes, so the
pages only offer downloads and the tests open what was built.
"""
