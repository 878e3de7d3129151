"""Compact per-feature records for the web maps: one page-wide table of repeated text.

A map of a province carries thousands of parks, and most of their text repeats: county and
town names, platform names inside the reasons, the few sentence shapes the consolidation
writes its reasons in (``"R7: joins <platform> — <d> km, same division C38"``). Written out
per feature, that text was most of a map's bytes. Here each repeated piece is written once in
a :class:`Lexicon` (the page's table ``T``) and features point into it; ``PG`` in
``templates/parkgeo.js`` rebuilds every value at load, before any label is made, so tooltips,
popups and search see the same properties as before.

The encoding is lossless: a text is split into literal pieces, known names and numbers; the
pieces (the "template") go into the table once, the names as table references, the numbers as
they are written. Any text decodes back to itself, whatever its shape: no sentence is parsed
or re-worded, so a reason written by another version of the consolidation, or by hand, shows as
it is. :func:`decode_text` and :func:`decode_indicators` are the Python twins of the JS decoder
(for tests).

Encoded values (JSON):

- a string: itself;
- an integer ``i``: the table's string ``T[i]``;
- an array ``[t, p1, p2, ...]``: the template ``T[t]`` (an array of literal pieces
  ``[s0, s1, ...]``) filled in as ``s0 + p1 + s1 + p2 + ...``, each ``p`` itself an encoded
  value (a table reference or a literal string).

Indicators: ``[k, v1, v2, ...]`` with ``T[k]`` the array of indicator keys, in order.

No library packs JSON this way for a browser that must build the page synchronously (a
deflate stream would need ``DecompressionStream``, which is asynchronous), hence this module.
"""

from __future__ import annotations

import math
import re

import ahocorasick

__all__ = ["Lexicon", "decode_text", "decode_indicators", "js_string"]

#: numbers as the consolidation writes them: ``4.6``, ``2,643``, ``0.30``, ``12``; digits after a
#: letter stay in the sentence (rule ids ``R7``, ``T2``, industry codes ``C38``: few, and
#: repeated)
_NUMBER = re.compile(r"((?<![A-Za-z0-9])\d+(?:[.,]\d+)*)")


def js_string(value):
    """The text JavaScript's ``String(value)`` gives for a JSON scalar from the data.

    Names and reasons are text in the result contract; a number that slipped into a text field
    still shows as the browser would have shown it (``5.0`` → ``"5"``).
    """
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and math.isfinite(value) and value.is_integer() \
            and abs(value) < 1e21:
        return str(int(value))
    return str(value)


class Lexicon:
    """The page's table of repeated text, and the encoder of the values that point into it.

    Parameters
    ----------
    names : iterable of str
        Names that other texts quote (counties, towns, zones, platforms): inside a text they
        become references to the table, so a reason naming a platform costs a few bytes.

    Examples
    --------
    >>> lex = Lexicon(["南湖区"])
    >>> enc = lex.text("R11 quota: 3 of 10 parks in 南湖区 must exit")
    >>> decode_text(lex.table, enc)
    'R11 quota: 3 of 10 parks in 南湖区 must exit'
    >>> lex.ref("南湖区") == lex.ref("南湖区")
    True
    """

    def __init__(self, names=()):
        self.table = []
        self._index = {}
        known = {n for n in names if isinstance(n, str) and len(n) >= 2}
        # thousands of names in thousands of texts: an Aho-Corasick automaton finds them in
        # one pass (leftmost-longest, so a town named after its county is taken whole)
        self._names = None
        if known:
            self._names = ahocorasick.Automaton()
            for name in known:
                self._names.add_word(name, name)
            self._names.make_automaton()

    def _split(self, text):
        """Literal pieces of ``text`` and the encoded names and numbers between them."""
        pieces, params = [""], []

        def literal(segment):
            parts = _NUMBER.split(segment)  # literal, number, literal, ...
            pieces[-1] += parts[0]
            for k in range(1, len(parts), 2):
                params.append(parts[k])
                pieces.append(parts[k + 1])

        last = 0
        for end, name in self._names.iter_long(text) if self._names else ():
            literal(text[last:end - len(name) + 1])
            params.append(self.ref(name))
            pieces.append("")
            last = end + 1
        literal(text[last:])
        return pieces, params

    def _add(self, key, entry):
        i = self._index.get(key)
        if i is None:
            i = self._index[key] = len(self.table)
            self.table.append(entry)
        return i

    def ref(self, value):
        """Table index of a whole string (a county, a town); ``None`` stays ``None``."""
        if value is None:
            return None
        value = value if isinstance(value, str) else js_string(value)
        return self._add(("s", value), value)

    def text(self, value):
        """Encoded form of a free text (a name, a reason): see the module docstring."""
        if value is None:
            return None
        value = value if isinstance(value, str) else js_string(value)
        pieces, params = self._split(value)
        if not params:
            return self.ref(value)
        if pieces == ["", ""] and isinstance(params[0], int):
            return params[0]  # the text is one known name
        return [self._add(("t", *pieces), pieces), *params]

    def indicators(self, values):
        """Encoded indicators: ``values`` is a dict key → JSON scalar (key order is kept)."""
        keys = list(values)
        return [self._add(("k", *keys), keys), *values.values()]


def decode_text(table, value):
    """A text from its encoded form (the twin of ``txt`` in ``templates/parkgeo.js``)."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, int):
        return table[value]
    pieces = table[value[0]]
    out = pieces[0]
    for param, piece in zip(value[1:], pieces[1:], strict=True):
        out += decode_text(table, param) + piece
    return out


def decode_indicators(table, value):
    """Indicators (dict) from their encoded form (the twin of ``ind`` in parkgeo.js)."""
    return dict(zip(table[value[0]], value[1:], strict=True))
