"""The review loop: the queue the sales-and-marketing committee rules on, and its decisions.

From the bottom up: `patterns` (every disputed lead in exactly one pattern), `queue` (the leads the
committee can rule on in the period, the most telling first), `followup` (never worked, days to a
decision, accepted leads lost, per source, tier and owner), `decisions` (the filled-in review CSV,
read and checked), `labels` (decisions as training labels), `record` (them on the MLflow run),
`findings` (decisions per source and pattern) and `build` (the report's review, put together).
Import from the modules themselves; this file imports nothing.
"""
