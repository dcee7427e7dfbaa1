"""Printouts as real PDFs, built with ReportLab from plain frozen dataclasses (never ORM rows).

`fonts` embeds the shipped Unicode fonts, `page` gives every document the same page, header,
footer and safe write; each document has its own module (`sign_in`, ...). No Qt here.
"""
