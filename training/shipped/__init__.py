"""Scripts that build or tune the models shipped under presslens/models (each model card names its command)."""
