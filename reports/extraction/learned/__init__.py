"""The learned decision layer: small linear models that decide among the rule engine's candidates.

- ``features``: named features of a candidate and of a pair of candidates;
- ``weights``: the committed ``model.json`` (toll kind, same-event link,
  confidence), read once; inference is a dot product and a sigmoid/softmax;
- ``decide``: keeps, re-kinds, merges and scores the candidates of one article.

Trained by ``python -m reports.extraction.train``. Plain Python at run time:
no scikit-learn, no Django.
"""

from __future__ import annotations

from reports.extraction.learned.weights import Model, default, version_suffix

__all__ = ["Model", "default", "version_suffix"]
