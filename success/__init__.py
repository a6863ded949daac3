"""Success the group defines: statements agreed through a proposal, rated against a baseline."""
