"""Reference datasets (ACLED, UCDP GED): their layouts, the mapping to our vocabulary, the import and the comparison.

`layouts` reads one of their rows into a `ReferenceRow` (plain Python, no database);
`mapping` resolves countries and first-level divisions against the gazetteer;
`importing` streams a whole export into `ReferenceEvent` (COPY on PostgreSQL);
`comparison` matches their events with our incidents for a dashboard filter.
Our own services and selectors never import this package (import-linter contract
`reference-apart`): their events never enter our totals.
"""
