"""App-free plumbing: the ground floor every app may use, which imports none of them.

The cache backend, compiled queries, URL shapes, the safe fetcher, plain-text rules, health
probes, request logs, middleware, the database router and the sentence embedder. Nothing here
knows what a claim is.
"""
