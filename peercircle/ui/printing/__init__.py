"""Printing: the PDF preview, the printer, and the options for each printout."""
