"""The solidarity mechanism (AMMR Part IV) as small rules, one module per legal concept.

Each function is registered with ``@rule`` (``asylumengine.law.rules``): it names the
paragraph that decides, the parameters it reads (by path, for the date in force) and
what it produces, and links the article's verbatim text in ``law/sources``. The cycle
(``solidarity/cycle.py``) composes them in the order written in its ``PIPELINE`` table;
precedence between exceptions is written as ordered tables in these modules, not as
nesting. These modules hold no legal number: ``tests/test_solidarity_rules.py`` fails on
a numeric literal other than 0 or 1.

- ``key``: who is in the key and the key itself (Art 66, Annex I), custom key data, fixed shares
- ``pool``: the Pool, its ratio and the reference numbers (Art 12, 56, 57), the SAR share (Art 12(5), 57(2))
- ``classification``: the Commission's Art 11 decision and who uses the Pool (Art 58(1), 59(4))
- ``exemptions``: exemptions and deductions (Art 60(3), third subpara; Art 61, 62)
- ``procedure``: deduction requests over dates (Art 61(1)-(4), 62(1)-(5))
- ``pledges``: pledges and their value (Art 56(2), 57(3)-(4), 65(1))
- ``offsets``: responsibility offsets (Art 63, 69; Art 13(4))
- ``systemic``: systemic shortcomings (Art 60(3), fourth subpara), dated Commission findings
- ``deliveries``: what each contributing state delivers to whom (Art 60(2)-(3))
"""
