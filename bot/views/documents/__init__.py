"""The periodic report's documents: the Word report (:mod:`.report_docx`) in the layout
of Nghị định 30/2020 with the office's template (:mod:`.template`), the workbook with
every figure (:mod:`.report_xlsx`), and the words and figures they share
(:mod:`.wording`). Pure writers: a report's values in, bytes out."""
