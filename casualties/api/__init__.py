"""The public REST API, versioned under /api/v1/: thin DRF views over the selectors, filters and services."""
