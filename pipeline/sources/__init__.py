"""Source quality: what each lead source yields and costs, what to plan, and which leads are disputed.

`leadsift sources` (`command`) builds the `report` from one-idea modules and renders it as one
self-contained HTML page (`html`, with `charts` and `review_html`: the review queue, patterns and
follow-up that `leadsift.pipeline.review` builds). Underneath, from the bottom up: `rates`,
`spend`, `outcomes` (per-lead flags), `league` (the league table), `trend`, `plan`, `capacity`,
`icp`, `disputes`, `scored` (freshly scored lists), `format` and `prose` (the summary sentences).
A module imports only those below it. Import from the modules themselves; this file imports nothing.
"""
