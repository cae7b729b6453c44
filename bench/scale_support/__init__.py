"""What bench/scale.py needs beside itself: the naive baseline it compares against, and its moving parts.

- baseline.py, urls.py, settings.py: the baseline a first draft of the API would be (DRF
  ModelSerializer, page-number pagination, ORM aggregation over the incident table),
  served under /baseline/ next to the real site by gunicorn in the same run. It lives
  here, never in the app, so nobody calls it by mistake.
- database.py: the scratch-or-reused PostgreSQL database and its synthetic incidents.
- server.py: gunicorn and the sampling of its workers' memory.
- client.py: timed HTTP requests, percentiles, concurrent clients, the streamed export.
- workload.py: the varied requests (governorates, date ranges, bounding boxes, deep cursors).
- report.py: the targets of issue #7 and the pass/fail of each.
"""
