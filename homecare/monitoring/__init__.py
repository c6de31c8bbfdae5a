"""Electronic call monitoring as it happens: the coordinator's live board and the late/missed monitor (issue 6)."""
