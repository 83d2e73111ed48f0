"""The MLflow model's entry point ("models from code"): MLflow runs this file when it loads the model.

Nothing of leadsift imports it. It names the model class instead of pickling an instance, so a
saved model holds no pickle at all; its imports resolve to the code shipped with the model.
"""

from mlflow.models import set_model

from leadsift.models.pyfunc import LeadsiftModel

set_model(LeadsiftModel())
