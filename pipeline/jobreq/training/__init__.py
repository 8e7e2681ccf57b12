"""Building, training and evaluating jobreq pipelines."""
