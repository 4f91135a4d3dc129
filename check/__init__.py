"""The checker of someone else's derivation, ``python -m check`` (``python -m derive check`` is
an alias; issue 14, issue 22).

A LaTeX file is read into display blocks and lines (:mod:`.latex_blocks`), tokens
(:mod:`.lexer`) and SymPy objects built directly by a recursive-descent parser
(:mod:`.parser`, with one reader module per construct, ``read_*``; nothing is ever
evaluated from text), then into steps and definitions
(:mod:`.steps`). Each step is judged (:mod:`.judge`: its meaning :mod:`.meaning`, instances at
sizes :mod:`.instances`, the engine's symbolic checks :mod:`.symbolic`, the numeric check
:mod:`.numeric_check`, the verdicts :mod:`.verdicts`) in a worker with time and memory limits
(:mod:`.sandbox`); ``--part`` loads a part's objects and its reference result (:mod:`.parts`);
:mod:`.output` prints the text table, the JSON of the contract, the CSV and the annotated PDF.
"""
__all__ = []
