"""`leadsift monitor`: are the scores still right, which source changed, when to retrain."""
