"""leadsift: learns from your own lead history which leads sales will accept.

Subpackages, bottom to top: `leadsift.features` (the data contract, point-in-time features),
`leadsift.models` (estimator, calibration, explanations, the MLflow model), `leadsift.pipeline`
(the stages and the `leadsift` command). `leadsift.params` and `leadsift.errors` sit under all three.
Nothing is imported here, so `import leadsift.params` stays cheap.
"""
