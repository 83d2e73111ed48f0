"""Training plots: an empty tier (no test leads, NaN rate) is labelled on the axis, not at NaN."""

import numpy as np
import pandas as pd

from leadsift.pipeline import plots


def test_empty_tier_label_sits_on_the_axis(tmp_path, monkeypatch):
    closed = []
    monkeypatch.setattr(plots.plt, "close", closed.append)  # keep the figure to look at it
    table = pd.DataFrame({"tier": list("ABCD"), "leads": [10, 0, 5, 3], "accept_rate": [0.5, np.nan, 0.2, 0.1]})
    assert plots.tier_plot(table, tmp_path / "tiers.png").stat().st_size > 0
    labels = closed[0].axes[0].texts
    assert [t.get_text() for t in labels][1] == "0 leads"
    assert labels[1].xy == (1, 0.0)
    assert labels[0].xy == (0, 0.5)
